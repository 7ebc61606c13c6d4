'use strict';
/**
 * e2e specs (test/ and module folders, files ending .e2e-spec.ts) boot the real AppModule against a real FerretDB and a real
 * redis-server that globalSetup starts (and globalTeardown stops). No mocks of either.
 */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // A module may keep its own e2e spec in its folder (src/modules/<m>/<m>.e2e-spec.ts).
  roots: ['<rootDir>/test', '<rootDir>/src/modules'],
  testMatch: ['**/*.e2e-spec.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  globalSetup: '<rootDir>/test/setup/global-setup.cjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.cjs',
  testTimeout: 60000,
  // Two cores: two workers keep wall time down without starving FerretDB.
  maxWorkers: 2,
};
