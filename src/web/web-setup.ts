import { existsSync } from 'node:fs';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PUBLIC_DIR } from './core/assets';

/**
 * What the web pages need from Fastify: the built islands and stylesheet under /assets (hashed names, cached for a
 * year), and gzip for anything worth compressing. The pages' templates are rendered by Pages (core/templates.ts).
 */
export async function setUpWeb(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['gzip', 'deflate'] });
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
