/** jest: unit specs beside the code (src/**\/*.spec.ts) and e2e specs over HTTP (test/**\/*.e2e-spec.ts),
 * all against a real PostgreSQL: DATABASE_URL when set, else an embedded one started by globalSetup. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testRegex: '(src|test)/.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  // Generous for a machine whose cores are busy with other work: a test waits for signals (test/support/eventually.ts
  // gives up after 15 s with the last failure), so a long timeout costs nothing when all is well. Hooks (an app's
  // start in beforeAll) share it.
  testTimeout: 60000,
  maxWorkers: 2,
};
