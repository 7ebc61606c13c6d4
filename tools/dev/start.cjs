'use strict';
/**
 * `npm start`: runs the built API with embedded defaults. Without MONGODB_URL it builds (once)
 * and starts a local FerretDB whose data lives in .data/ferretdb; without REDIS_URL the app
 * uses its in-memory cache. Ctrl-C stops both.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('dotenv');
const { startFerretDb, ROOT } = require('../services.cjs');

async function main() {
  // Same precedence as the app: real environment over .env.
  const dotenvFile = path.join(ROOT, '.env');
  const fromFile = fs.existsSync(dotenvFile) ? parse(fs.readFileSync(dotenvFile)) : {};
  const env = { ...fromFile, ...process.env };
  let ferret;
  if (!env.MONGODB_URL) {
    ferret = await startFerretDb({
      dataDir: path.join(ROOT, '.data', 'ferretdb'),
      port: Number(env.FERRETDB_PORT || 27017),
    });
    env.MONGODB_URL = ferret.url;
    process.stderr.write(`[start] embedded FerretDB at ${ferret.url} (data in .data/ferretdb)\n`);
  }
  const app = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], { stdio: 'inherit', env, cwd: ROOT });
  const forward = (signal) => app.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  app.on('exit', async (code, signal) => {
    if (ferret) await ferret.stop();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

main().catch((err) => {
  process.stderr.write(`[start] ${err.message}\n`);
  process.exit(1);
});
