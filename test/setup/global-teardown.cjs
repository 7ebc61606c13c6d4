'use strict';
const fs = require('node:fs');

module.exports = async function globalTeardown() {
  const services = globalThis.__E2E_SERVICES__;
  if (!services) return;
  await Promise.all([services.ferret.stop(), services.redis.stop()]);
  fs.rmSync(services.ferret.dataDir, { recursive: true, force: true });
};
