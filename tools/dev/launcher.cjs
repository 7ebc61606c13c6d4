'use strict';
/**
 * Shared by `npm start` (start.cjs) and `npm run start:dev` (watch.cjs): the environment, the
 * embedded FerretDB, the app child process, and the one rule both must keep: when the launcher
 * is told to stop (SIGTERM, SIGINT, SIGHUP), it stops every child it started before it exits,
 * so nothing is left holding PORT or FERRETDB_PORT.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { setInterval } = require('node:timers');
const { parse } = require('dotenv');
const { startFerretDb, ROOT } = require('../services.cjs');

const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'];
/** The app drains in-flight requests on SIGTERM (SHUTDOWN_TIMEOUT_MS, 10 s by default); then it is killed. */
const APP_KILL_AFTER_MS = 15000;
const ORPHAN_CHECK_MS = 500;

/** Every child a launcher started; a last-resort kill on exit so a crash of the launcher leaves none behind. */
const children = new Set();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Remembers `child` until it exits. */
function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function log(message) {
  process.stderr.write(`[start] ${message}\n`);
}

/** Same precedence as the app: the real environment over ROOT/.env. */
function loadEnv() {
  const dotenvFile = path.join(ROOT, '.env');
  const fromFile = fs.existsSync(dotenvFile) ? parse(fs.readFileSync(dotenvFile)) : {};
  return { ...fromFile, ...process.env };
}

/** Resolves when `port` on 127.0.0.1 can be bound, rejects with EADDRINUSE (or another error) when not. */
function checkPortFree(port) {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

/**
 * Starts FerretDB unless MONGODB_URL is set (then returns undefined). Refuses a taken port:
 * FerretDB would fail to bind, but the readiness probe would reach whatever listens there and
 * the app would silently use it.
 */
async function startEmbeddedDb(env) {
  if (env.MONGODB_URL) return undefined;
  const port = Number(env.FERRETDB_PORT || 27017);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`FERRETDB_PORT must be a port number (1..65535), got "${env.FERRETDB_PORT}"`);
  }
  try {
    await checkPortFree(port);
  } catch (err) {
    const detail = err.code === 'EADDRINUSE' ? 'is already in use' : `cannot be bound (${err.code ?? err.message})`;
    throw new Error(
      `FERRETDB_PORT ${port} ${detail}: another MongoDB or FerretDB is listening there. ` +
        'Stop it, set FERRETDB_PORT to a free port, or set MONGODB_URL to use that server deliberately.',
      { cause: err },
    );
  }
  const dataDir = path.join(path.resolve(ROOT, env.DATA_DIR || '.data'), 'ferretdb');
  const ferret = await startFerretDb({ dataDir, port });
  track(ferret.child);
  log(
    `embedded FerretDB at ${ferret.url} (data in ${dataDir.startsWith(ROOT + path.sep) ? path.relative(ROOT, dataDir) : dataDir})`,
  );
  return ferret;
}

/** Runs dist/main.js; returns { child, exited, stop() }. stop() sends SIGTERM, then SIGKILL after a grace period. */
function startApp(env) {
  const child = track(
    spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], { stdio: 'inherit', env, cwd: ROOT }),
  );
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), APP_KILL_AFTER_MS).unref();
    }
    return exited;
  };
  return { child, exited, stop };
}

/** Exit code for a child's exit: its code, or 128 + signal number as a shell reports it. */
function exitCodeOf({ code, signal }) {
  if (code !== null && code !== undefined) return code;
  const number = signal ? os.constants.signals[signal] : undefined;
  return number ? 128 + number : 1;
}

/**
 * Installs the stop handlers once. `onStop(signal)` must end the children and resolve with the
 * exit code; a second signal while stopping is ignored (the first stop is already under way).
 * Losing the parent counts as a stop too: when the process that started the launcher dies without
 * passing the signal on (`npm` killed, a terminal closed), the launcher is re-parented and stops.
 */
function onStopSignals(onStop) {
  let stopping = false;
  const stop = (reason) => {
    if (stopping) return;
    stopping = true;
    log(`${reason}: stopping`);
    onStop(reason).then(
      (code) => process.exit(code),
      (err) => {
        log(`stop failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('parent process gone');
  }, ORPHAN_CHECK_MS).unref();
  return () => stopping;
}

module.exports = { ROOT, log, track, loadEnv, startEmbeddedDb, startApp, exitCodeOf, onStopSignals };
