// Builds the islands (src/web/islands/*.ts, one entry each, loaded only by pages that name them) and the
// stylesheet into dist/web/public, with a manifest the server reads to link them (src/web/core/assets.ts).
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));
const islands = readdirSync(join(root, 'islands')).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('_'),
);

export default defineConfig({
  root,
  base: '/assets/',
  publicDir: join(root, 'static'),
  logLevel: 'warn',
  build: {
    outDir: resolve(root, '../../dist/web/public'),
    emptyOutDir: true,
    manifest: true,
    assetsDir: '',
    target: 'es2020',
    cssCodeSplit: true,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: Object.fromEntries([
        ['site', join(root, 'styles/site.css')],
        ...islands.map((f) => [f.replace(/\.ts$/, ''), join(root, 'islands', f)]),
      ]),
    },
  },
});
