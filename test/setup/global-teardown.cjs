'use strict';

module.exports = async function globalTeardown() {
  const services = globalThis.__E2E_SERVICES__;
  if (!services) return;
  await Promise.all([services.ferret.destroy(), services.ferret2.destroy(), services.redis.stop()]);
};
