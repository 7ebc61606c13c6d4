'use strict';
/**
 * `npm run start:dev`: `tsc --watch` over src/ (tsconfig.build.json) and a restart of the app after
 * every compile that ends with 0 errors. A compile with errors keeps the running app (the old
 * code) and says so. The embedded FerretDB (when MONGODB_URL is unset) is started once and kept
 * across restarts. NODE_ENV defaults to development (human-readable logs on a terminal).
 * SIGTERM/SIGINT/SIGHUP stop the app, tsc and FerretDB.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const { ROOT, log, track, loadEnv, startEmbeddedDb, startApp, exitCodeOf, onStopSignals } = require('./launcher.cjs');

const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** tsc --watch ends every compile with "Found N error(s). Watching for file changes." */
const COMPILE_DONE = /Found (\d+) errors?\. Watching for file changes/;

async function main() {
  const env = loadEnv();
  env.NODE_ENV ??= 'development';
  let app; // the running app, if any
  let last = { code: 0 }; // how the last app ended, for the exit code
  let queue = Promise.resolve(); // restarts run one at a time, in order
  const db = startEmbeddedDb(env);

  const tsc = track(
    spawn(process.execPath, [TSC, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );

  const stopping = onStopSignals(async () => {
    await queue;
    if (app) last = await app.stop();
    tsc.kill('SIGTERM');
    const ferret = await db.catch(() => undefined);
    await ferret?.stop();
    return exitCodeOf(last);
  });

  const restart = () => {
    queue = queue.then(async () => {
      const ferret = await db;
      if (stopping()) return;
      if (app) {
        log('compiled: restarting the app');
        const previous = app;
        app = undefined; // its exit is expected: not reported below
        await previous.stop();
      }
      if (ferret) env.MONGODB_URL = ferret.url;
      const current = startApp(env);
      app = current;
      void current.exited.then((result) => {
        if (app !== current || stopping()) return; // replaced or stopped on purpose
        last = result;
        app = undefined;
        log(`the app exited (${result.signal ?? `code ${result.code}`}); waiting for a change under src/`);
      });
    });
    queue.catch((err) => {
      log(err.message);
      process.exit(1);
    });
  };

  readline.createInterface({ input: tsc.stdout }).on('line', (line) => {
    if (line.trim()) process.stderr.write(`[tsc] ${line}\n`);
    const done = COMPILE_DONE.exec(line);
    if (!done) return;
    if (done[1] === '0') restart();
    else log(app ? 'compile errors: the app keeps running the previous build' : 'compile errors: fix them to start');
  });
  tsc.once('exit', (code) => {
    if (stopping()) return;
    log(`tsc --watch exited with code ${code}`);
    process.kill(process.pid, 'SIGTERM'); // stop the rest the normal way
  });

  await db; // a taken FERRETDB_PORT ends the run here, with its message
}

main().catch((err) => {
  log(err.message);
  process.exit(1); // the exit hook kills tsc
});
