/** jest: unit specs beside the code (src/**\/*.spec.ts) and e2e specs over HTTP (test/**\/*.e2e-spec.ts),
 * all against a real PostgreSQL: DATABASE_URL when set, else an embedded one started by globalSetup. */
/** ESM-only packages that CommonJS dependencies of Haven require (see transform). */
const ESM_ONLY = 'css-select|css-what|nth-check|boolbase|cssomnom';

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testRegex: '(src|test)/.*\\.(spec|e2e-spec)\\.ts$',
  transform: {
    // The one file that loads an ESM-only package with import() (Observable Plot, for the journal's charts): jest
    // runs no import() without --experimental-vm-modules, so this file alone is compiled to CommonJS (import() becomes
    // require()) and the package is mapped to its UMD build below.
    'src/journal/render/plot-module\\.ts$': '<rootDir>/test/setup/commonjs-transform.cjs',
    // linkedom (the charts' server-side DOM) is CommonJS but requires a few ESM-only packages, which Node 20.19+
    // loads with require(esm) and jest does not: jest compiles those to CommonJS.
    [`node_modules/(${ESM_ONLY})/.+\\.js$`]: '<rootDir>/test/setup/commonjs-transform.cjs',
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
  },
  transformIgnorePatterns: [`^(?!.*/node_modules/(${ESM_ONLY})/).*/node_modules/`],
  moduleNameMapper: {
    '^@observablehq/plot$': '<rootDir>/node_modules/@observablehq/plot/dist/plot.umd.js',
    // What Plot's UMD build requires: d3's own UMD build.
    '^d3@[0-9.]+/dist/d3\\.min\\.js$': '<rootDir>/node_modules/d3/dist/d3.js',
  },
  globalSetup: '<rootDir>/test/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
  // Generous for a machine whose cores are busy with other work: a test waits for signals (test/support/eventually.ts
  // gives up after 15 s with the last failure), so a long timeout costs nothing when all is well. Hooks (an app's
  // start in beforeAll) share it.
  testTimeout: 60000,
  maxWorkers: 2,
};
