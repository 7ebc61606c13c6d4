'use strict';
/**
 * Starts the real services the e2e suite runs against: a fresh FerretDB (new data dir, free port)
 * and a fresh redis-server. Their URLs reach the test workers through the environment.
 * With CI=true a service that cannot start fails the run; nothing is ever skipped.
 */
const { startFerretDb, startRedis } = require('../../tools/services.cjs');

module.exports = async function globalSetup() {
  const started = Date.now();
  const [ferret, redis] = await Promise.all([startFerretDb(), startRedis()]);
  globalThis.__E2E_SERVICES__ = { ferret, redis };
  process.env.E2E_MONGODB_URL = ferret.url;
  process.env.E2E_REDIS_URL = redis.url;
  process.stderr.write(`\n[e2e] FerretDB ${ferret.url}, Redis ${redis.url} (ready in ${Date.now() - started} ms)\n`);
};
