'use strict';
/**
 * `npm start`: runs the built API with embedded defaults. Without MONGODB_URL it builds (once)
 * and starts a local FerretDB whose data lives in DATA_DIR/ferretdb (.data/ferretdb); without
 * REDIS_URL the app uses its in-memory cache. SIGTERM, SIGINT (Ctrl-C) or SIGHUP stop the app
 * (gracefully) and then FerretDB; the launcher exits with the app's exit code.
 */
const { log, loadEnv, startEmbeddedDb, startApp, exitCodeOf, onStopSignals } = require('./launcher.cjs');

async function main() {
  const env = loadEnv();
  let app;
  const db = startEmbeddedDb(env);
  // Installed before anything is started: a signal during FerretDB's start must still stop it.
  const stopping = onStopSignals(async (signal) => {
    const result = app ? await app.stop() : { signal };
    const ferret = await db.catch(() => undefined);
    await ferret?.stop();
    return exitCodeOf(result);
  });

  const ferret = await db;
  if (stopping()) return; // the stop handler ends what was started
  if (ferret) env.MONGODB_URL = ferret.url;
  app = startApp(env);
  const result = await app.exited;
  if (stopping()) return;
  await ferret?.stop();
  process.exit(exitCodeOf(result));
}

main().catch((err) => {
  log(err.message);
  process.exit(1);
});
