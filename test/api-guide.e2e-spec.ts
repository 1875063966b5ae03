import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startTestApp, type TestApp } from './app';
import { type Doc } from './factories/openapi';

const GUIDE = path.resolve(__dirname, '..', 'docs', 'api.md');

/** `METHOD /api/path` as the guide writes a route: path parameters as `:name`, without a query string. */
export function routesInGuide(text: string): Set<string> {
  return new Set(
    [...text.matchAll(/`(GET|POST|PUT|PATCH|DELETE) (\/api\/[^`\s?]*)/g)].map(
      ([, method, route]) => `${method} ${route}`,
    ),
  );
}

/** Every route the OpenAPI document describes, written as the guide writes it. */
function routesServed(doc: Doc): string[] {
  return Object.entries(doc.paths).flatMap(([route, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${route.replace(/\{(\w+)\}/g, ':$1')}`),
  );
}

describe('docs/api.md, the HTTP API by task', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('names every route that the server serves and its OpenAPI document describes', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as Doc;
    const served = routesServed(doc);
    expect(served.length).toBeGreaterThan(80);
    const guide = routesInGuide(readFileSync(GUIDE, 'utf8'));
    expect(served.filter((route) => !guide.has(route))).toEqual([]);
  });

  it('reads routes as the guide writes them, one per code span', () => {
    const found = routesInGuide('| `GET /api/captcha?kind=image\\|pow` | `POST /api/threads/:id/pin` | `GET /api/x`');
    expect([...found]).toEqual(['GET /api/captcha', 'POST /api/threads/:id/pin', 'GET /api/x']);
  });
});
