import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Eta } from 'eta';
import { PUBLIC_DIR } from './core/assets';

export const VIEWS_DIR = join(__dirname, 'views');

/**
 * What the web pages need from Fastify: eta templates in one layout (`<%= %>` escapes; `<%~ %>` only for HTML
 * that was sanitised when it was stored), the built islands and stylesheet under /assets (hashed names, cached for a
 * year), and gzip for anything worth compressing.
 */
export async function setUpWeb(app: NestFastifyApplication, production: boolean): Promise<void> {
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['gzip', 'deflate'] });
  const eta = new Eta({ views: VIEWS_DIR, cache: production, autoEscape: true, autoTrim: [false, 'nl'] });
  if (production) rememberPaths(eta);
  await app.register(fastifyView, {
    engine: { eta },
    templates: VIEWS_DIR,
    layout: 'layout.eta',
    production,
  });
  if (existsSync(PUBLIC_DIR)) {
    await app.register(fastifyStatic, {
      root: PUBLIC_DIR,
      prefix: '/assets/',
      wildcard: false,
      index: false,
      allowedPath: (path) => !path.startsWith('/.vite'),
      setHeaders: (res, path) => {
        const hashed = /-[A-Za-z0-9_-]{8,}\.(js|css|woff2)$/.test(path);
        res.header('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'public, max-age=3600');
      },
    });
  }
}

/**
 * Eta resolves the path of every template and include on every render (a JSON key, path joins, a containment
 * check): a thread page's 20 posts made that a few percent of the page. With the templates cached, a name always
 * resolves to the same file, so the answer is kept.
 */
function rememberPaths(eta: Eta): void {
  const resolve = eta.resolvePath;
  if (!resolve) return;
  const known = new Map<string, string>();
  type Resolve = NonNullable<Eta['resolvePath']>;
  eta.resolvePath = function (this: ThisParameterType<Resolve>, template, options) {
    const key = `${options?.filepath ?? ''}\0${template}`;
    let path = known.get(key);
    if (path === undefined) {
      path = resolve.call(this, template, options);
      known.set(key, path);
    }
    return path;
  };
}
