import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import { validate } from '@readme/openapi-parser';
import Ajv from 'ajv';
import type { Response } from 'supertest';
import ts from 'typescript';
import { PUBLIC_KEY } from '../src/common/auth/auth.decorators';
import { startTestApp, type TestApp } from './app';
import { createCategory, createThread, trust } from './factories/forums';
import { bearer, createUser } from './factories/users';

type Json = Record<string, unknown>;
interface Operation {
  operationId?: string;
  tags?: string[];
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Json }>;
  requestBody?: Json;
  responses: Record<string, { description: string; content?: Record<string, { schema?: Json }> }>;
  security?: Array<Record<string, string[]>>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Json> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([route, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ key: `${method.toUpperCase()} ${route}`, route, method, op })),
  );
/** PUT on a key it names creates the resource: no 404 there. */
const createdAtPath = (key: string) => key === 'PUT /api/pages/{key}';
const jsonSchemaOf = (op: Operation, status: string) => op.responses[status]?.content?.['application/json']?.schema;

/** Every API route Nest serves (controllers not excluded from the document), with whether the guard lets guests in. */
function servedRoutes(t: TestApp): Map<string, boolean> {
  const routes = new Map<string, boolean>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller || Reflect.getMetadata(DECORATORS.API_EXCLUDE_CONTROLLER, controller)?.[0]) continue;
      const base = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number].toLowerCase();
        const route = `/api/${base}/${sub}`
          .replace(/\/+/g, '/')
          .replace(/\/$/, '')
          .replace(/:(\w+)/g, '{$1}');
        const isPublic = !!(Reflect.getMetadata(PUBLIC_KEY, handler) ?? Reflect.getMetadata(PUBLIC_KEY, controller));
        routes.set(`${method.toUpperCase()} ${route}`, isPublic);
      }
    }
  }
  return routes;
}

/** The keywords an OpenAPI 3.0 Schema Object may hold (extensions start with x-). */
const SCHEMA_KEYS = new Set([
  ...['title', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength'],
  ...['pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'required', 'enum', 'type'],
  ...['allOf', 'oneOf', 'anyOf', 'not', 'items', 'properties', 'additionalProperties', 'description', 'format'],
  ...['default', 'nullable', 'discriminator', 'readOnly', 'writeOnly', 'xml', 'externalDocs', 'example', 'deprecated'],
  '$ref',
]);

function badSchemaKeys(schema: unknown, where: string, out: string[]): string[] {
  if (!schema || typeof schema !== 'object') return out;
  const s = schema as Json;
  for (const key of Object.keys(s)) {
    if (!SCHEMA_KEYS.has(key) && !key.startsWith('x-')) out.push(`${where}: ${key}`);
  }
  for (const [key, value] of Object.entries((s.properties as Json | undefined) ?? {})) {
    badSchemaKeys(value, `${where}.${key}`, out);
  }
  for (const key of ['items', 'not', 'additionalProperties']) badSchemaKeys(s[key], `${where}.${key}`, out);
  for (const key of ['allOf', 'oneOf', 'anyOf']) {
    ((s[key] as unknown[] | undefined) ?? []).forEach((sub, i) => badSchemaKeys(sub, `${where}.${key}[${i}]`, out));
  }
  return out;
}

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: Doc;

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.http.get('/api/docs-json').expect(200)).body as Doc;
  });
  afterAll(() => t.close());

  it('is a valid OpenAPI document (0 errors from @readme/openapi-parser)', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors.map((e) => e.message)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('uses only OpenAPI keywords in its schemas', () => {
    const bad: string[] = [];
    for (const [name, schema] of Object.entries(doc.components.schemas)) badSchemaKeys(schema, name, bad);
    for (const { key, op } of operations(doc)) {
      for (const p of op.parameters ?? []) badSchemaKeys(p.schema, `${key} ${p.name}`, bad);
    }
    expect(bad).toEqual([]);
  });

  it('documents every route Nest serves, and nothing else', () => {
    const served = [...servedRoutes(t).keys()].sort();
    expect(served.length).toBeGreaterThan(50);
    expect(
      operations(doc)
        .map((o) => o.key)
        .sort(),
    ).toEqual(served);
  });

  it('gives every operation a stable, unique operationId and a tag', () => {
    const ids = operations(doc).map(({ op }) => op.operationId);
    const bad = operations(doc).filter(
      ({ op }) => !/^[a-z][A-Za-z0-9]+$/.test(op.operationId ?? '') || !op.tags?.length,
    );
    expect(bad.map((o) => `${o.key}: ${o.op.operationId} ${o.op.tags}`)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every operation its success answer with a schema (204 without a body)', () => {
    const missing: string[] = [];
    for (const { key, op } of operations(doc)) {
      const successes = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
      if (successes.length === 0) missing.push(`${key}: no 2xx`);
      for (const status of successes) {
        if (status !== '204' && !jsonSchemaOf(op, status)) missing.push(`${key}: ${status} without a schema`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('declares 202 pending where content can be held for review', () => {
    for (const key of [
      'POST /api/categories/{slug}/threads',
      'POST /api/threads/{id}/posts',
      'POST /api/pages/{key}/comments',
    ]) {
      const op = operations(doc).find((o) => o.key === key)!.op;
      expect([key, Object.keys(op.responses)]).toEqual([key, expect.arrayContaining(['201', '202'])]);
      expect(jsonSchemaOf(op, '202')).toBeDefined();
    }
  });

  it('declares the error answers, each with the one shared error schema', () => {
    const errorRef = '#/components/schemas/ErrorResponseDto';
    expect(doc.components.schemas.ErrorResponseDto).toMatchObject({
      required: expect.arrayContaining(['statusCode', 'error', 'message']),
    });
    const bad: string[] = [];
    for (const { key, op } of operations(doc)) {
      const errors = Object.keys(op.responses).filter((s) => /^[45]\d\d$/.test(s));
      for (const must of ['403', '429', '503']) if (!errors.includes(must)) bad.push(`${key}: no ${must}`);
      if ((op.parameters?.length || op.requestBody) && !errors.includes('400')) bad.push(`${key}: no 400`);
      if (op.requestBody && !errors.includes('413')) bad.push(`${key}: no 413`);
      if (/\{(id|slug|key|username)\}/.test(key) && !createdAtPath(key) && !errors.includes('404'))
        bad.push(`${key}: no 404`);
      for (const status of errors) {
        if (jsonSchemaOf(op, status)?.$ref !== errorRef) bad.push(`${key}: ${status} without the error schema`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('declares every path parameter, and every list its limit and cursor', () => {
    const bad: string[] = [];
    for (const { key, route, op } of operations(doc)) {
      for (const [, name] of route.matchAll(/\{(\w+)\}/g)) {
        const p = op.parameters?.find((x) => x.in === 'path' && x.name === name);
        if (!p?.required || !p.schema) bad.push(`${key}: {${name}}`);
      }
      const ok = jsonSchemaOf(op, '200')?.$ref as string | undefined;
      if (ok?.endsWith('Page')) {
        for (const q of ['limit', 'cursor']) {
          if (!op.parameters?.some((x) => x.in === 'query' && x.name === q)) bad.push(`${key}: ?${q}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('marks public routes as open to guests and every other route as bearer-only, as the guard decides', () => {
    const served = servedRoutes(t);
    const wrong: string[] = [];
    for (const { key, op } of operations(doc)) {
      const guestsAllowed = (op.security ?? []).some((s) => Object.keys(s).length === 0);
      const bearerOnly = op.security?.length === 1 && 'bearer' in op.security[0];
      if (served.get(key) ? !guestsAllowed : !bearerOnly) wrong.push(`${key}: ${JSON.stringify(op.security)}`);
      if (!served.get(key) && !op.responses['401']) wrong.push(`${key}: no 401`);
    }
    expect(wrong).toEqual([]);
    expect(served.get('GET /api/categories')).toBe(true);
    expect(served.get('POST /api/threads/{id}/posts')).toBe(false);
  });

  it('is good enough to generate a typed client (openapi-typescript), which type-checks against it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'haven-openapi-'));
    try {
      writeFileSync(path.join(dir, 'openapi.json'), JSON.stringify(doc));
      // openapi-typescript is ESM-only: it runs as its own process, as a client project would run it.
      execFileSync(
        process.execPath,
        [
          path.join(path.dirname(require.resolve('openapi-typescript/package.json')), 'bin/cli.js'),
          'openapi.json',
          '-o',
          'api.d.ts',
        ],
        { cwd: dir, stdio: 'pipe' },
      );
      writeFileSync(
        path.join(dir, 'client.ts'),
        `import type { components, paths } from './api';
type Json<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: infer R } ? (R extends Record<S, { content: { 'application/json': infer B } }> ? B : never) : never;
type Category = components['schemas']['CategoryDto'];
export const category: Category = {
  id: '1', slug: 'newly-diagnosed', name: 'Newly diagnosed', description: '', threadCount: 0, postCount: 0,
  lastPostAt: null, approval: 'none',
};
export function firstTitle(page: Json<'/api/categories/{slug}/threads', 'get', 200>): string | undefined {
  const next: string | null = page.nextCursor;
  return next === null ? page.items[0]?.title : page.items[0]?.author.displayName;
}
export function pending(answer: Json<'/api/threads/{id}/posts', 'post', 202>): boolean {
  return answer.status === 'pending' && typeof answer.bodyHtml === 'string';
}
export function why(error: Json<'/api/threads/{id}', 'get', 404>): string {
  return Array.isArray(error.message) ? error.message.join('; ') : error.message;
}
type ListOp = paths['/api/threads/{id}/posts']['get'];
export const query: NonNullable<ListOp['parameters']['query']> = { limit: 20, cursor: 'abc' };
export const params: ListOp['parameters']['path'] = { id: '42' };
// @ts-expect-error a category's counters are numbers
export const wrong: Category = { ...category, threadCount: 'many' };
`,
      );
      const program = ts.createProgram([path.join(dir, 'client.ts')], {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        types: [],
      });
      const diagnostics = ts
        .getPreEmitDiagnostics(program)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(diagnostics).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('matches the real answers', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
    let added = false;

    /** The answer's body validates against the schema the document declares for its route, method and status. */
    function expectDeclared(res: Response, route: string, method: string) {
      if (!added) {
        ajv.addSchema({ components: doc.components }, 'openapi');
        added = true;
      }
      const schema = jsonSchemaOf(doc.paths[route][method], String(res.status));
      expect([route, method, res.status, schema ? 'declared' : 'undeclared']).toEqual([
        route,
        method,
        res.status,
        'declared',
      ]);
      const check = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/', '"openapi#/')) as object);
      const ok = check(res.body);
      expect([route, res.status, ok ? [] : check.errors]).toEqual([route, res.status, []]);
    }

    it('categories, threads, posts, a profile, replies held and published, and errors', async () => {
      const admin = await createUser(t, { role: 'admin' });
      const member = await createUser(t);
      await trust(t, member);
      const open = await createCategory(t, admin, 'none');
      const reviewed = await createCategory(t, admin, 'all');
      const { threadId, postId } = await createThread(t, member, open.slug);

      expectDeclared(await t.http.get('/api/categories').expect(200), '/api/categories', 'get');
      expectDeclared(
        await t.http.get(`/api/categories/${open.slug}/threads?limit=1`).expect(200),
        '/api/categories/{slug}/threads',
        'get',
      );
      expectDeclared(await t.http.get(`/api/threads/${threadId}`).expect(200), '/api/threads/{id}', 'get');
      expectDeclared(
        await t.http.get(`/api/threads/${threadId}/posts`).set(bearer(member.accessToken)).expect(200),
        '/api/threads/{id}/posts',
        'get',
      );
      expectDeclared(
        await t.http
          .post(`/api/threads/${threadId}/posts`)
          .set(bearer(member.accessToken))
          .send({ body: 'Same here, and it helps to hear it.', replyToId: postId })
          .expect(201),
        '/api/threads/{id}/posts',
        'post',
      );
      expectDeclared(
        await t.http
          .post(`/api/categories/${reviewed.slug}/threads`)
          .set(bearer(member.accessToken))
          .send({ title: 'Held for a moderator', body: 'A first thread in a reviewed category.' })
          .expect(202),
        '/api/categories/{slug}/threads',
        'post',
      );
      expectDeclared(await t.http.get(`/api/users/${member.username}`).expect(200), '/api/users/{username}', 'get');
      expectDeclared(await t.http.get('/api/me').set(bearer(member.accessToken)).expect(200), '/api/me', 'get');
      const moderator = await createUser(t, { role: 'moderator' });
      expectDeclared(
        await t.http.get('/api/moderation/queue').set(bearer(moderator.accessToken)).expect(200),
        '/api/moderation/queue',
        'get',
      );
      expectDeclared(await t.http.get('/api/captcha?kind=image').expect(200), '/api/captcha', 'get');
      expectDeclared(await t.http.get('/api/captcha?kind=pow').expect(200), '/api/captcha', 'get');
      expectDeclared(await t.http.get('/api/chat/rooms').expect(200), '/api/chat/rooms', 'get');
      expectDeclared(await t.http.get('/api/threads/999999999').expect(404), '/api/threads/{id}', 'get');
      expectDeclared(await t.http.get('/api/threads/abc').expect(400), '/api/threads/{id}', 'get');
      expectDeclared(
        await t.http.post(`/api/threads/${threadId}/posts`).send({ body: 'x' }).expect(401),
        '/api/threads/{id}/posts',
        'post',
      );
      expectDeclared(
        await t.http.post('/api/categories').set(bearer(member.accessToken)).send({}).expect(403),
        '/api/categories',
        'post',
      );
    });
  });
});
