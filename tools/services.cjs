'use strict';
/**
 * Local services for development, tests and benchmarks: a FerretDB (MongoDB wire protocol,
 * SQLite storage) built from tools/ferretdb, and redis-server from Debian.
 * Used by tools/dev/start.cjs, test/setup/*.cjs and bench/. Plain CommonJS so every one of
 * them can require it without a build step.
 */
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const FERRET_MODULE = path.join(ROOT, 'tools', 'ferretdb');
const CACHE_DIR = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'mt-backend');

function log(message) {
  process.stderr.write(`[services] ${message}\n`);
}

/**
 * FerretDB workaround (the local server of tests and benchmarks; production runs MongoDB, which
 * this does not concern). FerretDB 1.24's SQLite backend filters by `_id` with the expression
 * `_ferretdb_sjson->'$._id'` while it builds every collection's `_id_` index on
 * `_ferretdb_sjson->"_id"`: SQLite does not see them as the same expression, so every find, update
 * and delete by `_id` scans the whole collection (EXPLAIN QUERY PLAN: `SCAN`, not `SEARCH ... USING
 * INDEX`). At 3,000 tenants a bulk provisioning spent 74 % of FerretDB's CPU in those scans of the
 * master `tenants` collection, and every master lookup by `_id` (tenant status, route, account)
 * grew with the tenant count. The build replaces that one constant with `->'_id'` (the same value
 * in SQLite's JSON operators; the planner then uses the index) through `go build -overlay`, and
 * refuses to build if the constant is not found as expected.
 */
const ID_INDEX_PATCH = {
  version: 'id-index-1',
  file: 'internal/backends/sqlite/metadata/metadata.go',
  from: `IDColumn = DefaultColumn + "->'$._id'"`,
  to: `IDColumn = DefaultColumn + "->'_id'"`,
};

/** Path of the cached FerretDB binary; keyed by the wrapper's sources and the patch, so a bump rebuilds it. */
function ferretBinaryPath() {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(fs.readFileSync(path.join(FERRET_MODULE, file)));
  hash.update(ID_INDEX_PATCH.version);
  return path.join(CACHE_DIR, `ferretdb-1.24.2-${hash.digest('hex').slice(0, 12)}`);
}

/**
 * A patched copy of the FerretDB module (the Go module cache is read-only, and `-overlay` may not
 * replace files in it) and a go.mod that points the build at it (`-modfile`, so the wrapper's own
 * go.mod and go.sum stay untouched). Returns the go.mod's path.
 */
function writePatchedModule(env) {
  execFileSync('go', ['mod', 'download', 'github.com/FerretDB/FerretDB'], {
    cwd: FERRET_MODULE,
    env,
    stdio: 'inherit',
  });
  const moduleDir = execFileSync('go', ['list', '-m', '-f', '{{.Dir}}', 'github.com/FerretDB/FerretDB'], {
    cwd: FERRET_MODULE,
    env,
    encoding: 'utf8',
  }).trim();
  const source = fs.readFileSync(path.join(moduleDir, ID_INDEX_PATCH.file), 'utf8');
  if (!source.includes(ID_INDEX_PATCH.from))
    throw new Error(`FerretDB patch ${ID_INDEX_PATCH.version}: "${ID_INDEX_PATCH.from}" not found in ${moduleDir}`);
  const dir = path.join(CACHE_DIR, `ferretdb-src-${ID_INDEX_PATCH.version}-${process.pid}`);
  removeTree(dir);
  fs.cpSync(moduleDir, path.join(dir, 'module'), { recursive: true });
  const target = path.join(dir, 'module', ID_INDEX_PATCH.file);
  fs.chmodSync(target, 0o644); // copied from the read-only module cache
  fs.writeFileSync(target, source.replace(ID_INDEX_PATCH.from, ID_INDEX_PATCH.to));
  const modfile = path.join(dir, 'go.mod');
  fs.writeFileSync(
    modfile,
    `${fs.readFileSync(path.join(FERRET_MODULE, 'go.mod'), 'utf8')}\nreplace github.com/FerretDB/FerretDB => ${path.join(dir, 'module')}\n`,
  );
  fs.copyFileSync(path.join(FERRET_MODULE, 'go.sum'), path.join(dir, 'go.sum'));
  return { dir, modfile };
}

/** Removes a copy of module-cache files (read-only, directories too: made writable first). */
function removeTree(dir) {
  if (!fs.existsSync(dir)) return;
  spawnSync('chmod', ['-R', 'u+w', dir]);
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Builds FerretDB once (minutes on a cold Go cache) and returns the binary's path. */
function ensureFerretDb() {
  const binary = ferretBinaryPath();
  if (fs.existsSync(binary)) return binary;
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0)
    throw new Error('Go is needed to build the local FerretDB (or set MONGODB_URL to your own MongoDB)');
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  log(`building FerretDB 1.24.2 into ${binary} (first time only; takes a few minutes on a cold Go cache)`);
  const started = Date.now();
  const tmp = `${binary}.tmp-${process.pid}`;
  // -mod=readonly: never let a build rewrite go.mod/go.sum (modernc sqlite pins its libc).
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-mod=readonly' };
  const patched = writePatchedModule(env);
  try {
    execFileSync('go', ['build', '-trimpath', `-modfile=${patched.modfile}`, '-o', tmp, '.'], {
      cwd: FERRET_MODULE,
      stdio: ['ignore', 'inherit', 'inherit'],
      env,
    });
  } finally {
    removeTree(patched.dir);
  }
  fs.renameSync(tmp, binary); // atomic: parallel builders never see a half-written binary
  log(`FerretDB built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return binary;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function waitForPort(port, timeoutMs, child, name) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null)
        return reject(new Error(`${name} exited with code ${child.exitCode} before listening`));
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) return reject(new Error(`${name} did not listen on ${port} within ${timeoutMs} ms`));
        setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function stopper(child) {
  return (signal = 'SIGTERM') =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
}

/**
 * Starts FerretDB on `port` (a free one by default) with SQLite storage in `dataDir`.
 * Returns { url, port, dataDir, child, stop(signal) }.
 */
async function startFerretDb({ dataDir, port, binary = ensureFerretDb() } = {}) {
  const dir = dataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'mtb-ferretdb-'));
  fs.mkdirSync(dir, { recursive: true });
  const listenPort = port || (await freePort());
  const child = spawn(
    binary,
    ['--listen-addr', `127.0.0.1:${listenPort}`, '--sqlite-url', `file:${dir}/`, '--log-level', 'error'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(listenPort, 15000, child, 'FerretDB');
  const stop = stopper(child);
  // stop() keeps the data (a test may restart on it); destroy() is the final stop and deletes it.
  const destroy = async (signal) => {
    await stop(signal);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { url: `mongodb://127.0.0.1:${listenPort}`, port: listenPort, dataDir: dir, child, stop, destroy };
}

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || null;
}

/** Finds redis-server, installing Debian's package when missing and running as root. */
function ensureRedis() {
  let binary = which('redis-server');
  if (binary) return binary;
  if (typeof process.getuid === 'function' && process.getuid() === 0 && which('apt-get')) {
    log('redis-server missing: installing the Debian package');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], {
      stdio: 'inherit',
      env,
    });
    binary = which('redis-server');
  }
  if (!binary)
    throw new Error('redis-server is not installed (apt-get install redis-server) and could not be installed');
  return binary;
}

/** Starts a throwaway redis-server (no persistence) on `port` (a free one by default). */
async function startRedis({ port, binary = ensureRedis() } = {}) {
  const listenPort = port || (await freePort());
  const child = spawn(
    binary,
    ['--port', String(listenPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForPort(listenPort, 10000, child, 'redis-server');
  return { url: `redis://127.0.0.1:${listenPort}`, port: listenPort, child, stop: stopper(child) };
}

module.exports = { ensureFerretDb, startFerretDb, ensureRedis, startRedis, freePort, waitForPort, ROOT };
