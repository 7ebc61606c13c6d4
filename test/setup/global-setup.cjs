'use strict';
/**
 * Starts the real services the e2e suite runs against: a fresh FerretDB (new data dir, free port)
 * and a fresh redis-server. Their URLs reach the test workers through the environment.
 * With CI=true a service that cannot start fails the run; nothing is ever skipped.
 */
const { startFerretDb, startRedis } = require('../../tools/services.cjs');

module.exports = async function globalSetup() {
  const started = Date.now();
  // A second FerretDB: the second MongoDB cluster of the multi-cluster specs (MONGODB_CLUSTERS).
  const [ferret, ferret2, redis] = await Promise.all([startFerretDb(), startFerretDb(), startRedis()]);
  globalThis.__E2E_SERVICES__ = { ferret, ferret2, redis };
  process.env.E2E_MONGODB_URL = ferret.url;
  process.env.E2E_MONGODB_URL_2 = ferret2.url;
  process.env.E2E_REDIS_URL = redis.url;
  process.stderr.write(
    `\n[e2e] FerretDB ${ferret.url} and ${ferret2.url}, Redis ${redis.url} (ready in ${Date.now() - started} ms)\n`,
  );
};
