/**
 * A jest transform to CommonJS (TypeScript's transpileModule), for what jest on Node 20 cannot load otherwise:
 * - src/journal/render/plot-module.ts loads Observable Plot (ESM only) with import(), which jest runs only with
 *   --experimental-vm-modules: compiled to CommonJS, the import() becomes a require() (jest.config.js maps the
 *   package to its UMD build);
 * - the ESM-only packages that linkedom (CommonJS) requires, which Node 20.19+ loads with require(esm) and jest
 *   does not.
 */
const ts = require('typescript');
const { createHash } = require('node:crypto');

module.exports = {
  process(source, fileName) {
    const out = ts.transpileModule(source, {
      fileName,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        sourceMap: false,
        inlineSourceMap: true,
      },
    });
    return { code: out.outputText };
  },
  getCacheKey(source, fileName) {
    return createHash('sha256').update(`commonjs-transform 1\0${fileName}\0${source}`).digest('hex');
  },
};
