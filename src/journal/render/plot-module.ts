import type * as LinkedomModule from 'linkedom' with { 'resolution-mode': 'import' };
import type * as PlotModule from '@observablehq/plot' with { 'resolution-mode': 'import' };

/** Observable Plot's functions. */
export type Plot = typeof PlotModule;
/** linkedom's functions (a light server-side DOM for Plot to draw in). */
export type Linkedom = typeof LinkedomModule;

let loading: Promise<{ plot: Plot; linkedom: Linkedom }> | undefined;

/**
 * Observable Plot and linkedom, loaded once. Both are ES modules to TypeScript (Plot is published as ES modules
 * only): compiled CommonJS keeps these `import()`s (tsconfig "module": "node16"), so Node loads the packages as they
 * are. Jest cannot run `import()` without --experimental-vm-modules, so jest.config.js compiles this one file to
 * CommonJS, where each `import()` becomes a `require()`, and maps Plot to its UMD build (dist/plot.umd.js, with d3's
 * UMD build beside it): the same library, another packaging.
 */
export function loadPlot(): Promise<{ plot: Plot; linkedom: Linkedom }> {
  loading ??= Promise.all([import('@observablehq/plot'), import('linkedom')]).then(([plot, linkedom]) => ({
    plot,
    linkedom,
  }));
  return loading;
}
