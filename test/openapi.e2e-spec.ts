import { randomBytes } from 'node:crypto';
import { validate } from '@readme/openapi-parser';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from './app';
import { ChatClients, send } from './factories/chat';
import { createCategory, createThread, trust } from './factories/forums';
import {
  answerChecker,
  badSchemaKeys,
  type Doc,
  jsonSchemaOf,
  operations,
  servedRoutes,
  typeCheckClient,
} from './factories/openapi';
import { bearer, createUser, solvedCaptcha, strongPassword, uniqueUsername } from './factories/users';

/** PUT on a key it names creates the resource: no 404 there. */
const createdAtPath = (key: string) => key === 'PUT /api/pages/{key}';

/** A small client written against the generated types, as a client project would. */
const CLIENT = `import type { components, paths } from './api';
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
export function replies(page: Json<'/api/pages/{key}/comments', 'get', 200>): number {
  return page.items.reduce((n, c) => n + c.replies.length, 0);
}
type QueueAuthor = Json<'/api/moderation/queue', 'get', 200>['items'][number]['author'];
export const guestAuthor: QueueAuthor = null;
// @ts-expect-error an author is an object or null
export const numberAuthor: QueueAuthor = 42;
type ListOp = paths['/api/threads/{id}/posts']['get'];
export const query: NonNullable<ListOp['parameters']['query']> = { limit: 20, cursor: 'abc' };
export const params: ListOp['parameters']['path'] = { id: '42' };
// @ts-expect-error a category's counters are numbers
export const wrong: Category = { ...category, threadCount: 'many' };
`;

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

  it('gives every operation a stable, unique operationId and a described tag', () => {
    const ids = operations(doc).map(({ op }) => op.operationId);
    const bad = operations(doc).filter(
      ({ op }) => !/^[a-z][A-Za-z0-9]+$/.test(op.operationId ?? '') || !op.tags?.length,
    );
    expect(bad.map((o) => `${o.key}: ${o.op.operationId} ${o.op.tags}`)).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    const described = new Set(doc.tags?.filter((tag) => tag.description).map((tag) => tag.name));
    const undescribed = operations(doc)
      .flatMap(({ op }) => op.tags ?? [])
      .filter((tag) => !described.has(tag));
    expect([...new Set(undescribed)]).toEqual([]);
  });

  it('gives every operation its success answer with a schema (204 without a body)', () => {
    const missing: string[] = [];
    for (const { key, op } of operations(doc)) {
      const successes = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s));
      if (successes.length === 0) missing.push(`${key}: no 2xx`);
      for (const status of successes) {
        // JSON, or a file's own type (a CSV export) with its schema.
        const schema = jsonSchemaOf(op, status) ?? Object.values(op.responses[status]?.content ?? {})[0]?.schema;
        if (status !== '204' && !schema) missing.push(`${key}: ${status} without a schema`);
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

  it('declares every path parameter, and every paged list its limit and cursor', () => {
    const bad: string[] = [];
    for (const { key, route, op } of operations(doc)) {
      for (const [, name] of route.matchAll(/\{(\w+)\}/g)) {
        const p = op.parameters?.find((x) => x.in === 'path' && x.name === name);
        if (!p?.required || !p.schema) bad.push(`${key}: {${name}}`);
      }
      const ok = jsonSchemaOf(op, '200')?.$ref as string | undefined;
      const answer = ok ? doc.components.schemas[ok.split('/').pop()!] : undefined;
      if ((answer?.properties as Record<string, unknown> | undefined)?.nextCursor) {
        const query = new Set(op.parameters?.filter((x) => x.in === 'query').map((x) => x.name));
        if (!query.has('limit')) bad.push(`${key}: ?limit`);
        if (!query.has('cursor') && !(query.has('before') && query.has('after'))) bad.push(`${key}: ?cursor`);
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
    expect(typeCheckClient(doc, CLIENT)).toEqual([]);
  });

  describe('matches the real answers', () => {
    const chat = new ChatClients();
    afterAll(() => chat.closeAll());
    let problems: string[];
    let check: ReturnType<typeof answerChecker>;
    /** Records how the answer differs from the document (nothing when it is as declared) and hands it back. */
    const seen = async (request: PromiseLike<Response>) => {
      const res = await request;
      problems.push(...check(res));
      return res;
    };
    beforeEach(() => {
      problems = [];
      check = answerChecker(doc);
    });

    it('forums: categories, threads, posts published and held, reactions, revisions, search, errors', async () => {
      const admin = await createUser(t, { role: 'admin' });
      const moderator = await createUser(t, { role: 'moderator' });
      const member = await createUser(t);
      await trust(t, member);
      const open = await createCategory(t, admin, 'none');
      const reviewed = await createCategory(t, admin, 'all');
      const word = `zq${randomBytes(4).toString('hex')}`;
      const { threadId, postId } = await createThread(t, member, open.slug, { title: `Scan days ${word}` });
      const as = (u: { accessToken: string }) => bearer(u.accessToken);

      await seen(t.http.get('/api/categories').expect(200));
      await seen(t.http.patch(`/api/categories/${open.slug}`).set(as(admin)).send({ name: 'Open talk' }).expect(200));
      await seen(t.http.get(`/api/categories/${open.slug}/threads?limit=1`).expect(200));
      await seen(t.http.get(`/api/threads/${threadId}`).set(as(member)).expect(200));
      await seen(t.http.get(`/api/threads/${threadId}/posts`).set(as(member)).expect(200));
      await seen(
        t.http
          .post(`/api/threads/${threadId}/posts`)
          .set(as(member))
          .send({ body: 'Same here, and it helps to hear it.', replyToId: postId })
          .expect(201),
      );
      await seen(
        t.http
          .post(`/api/categories/${reviewed.slug}/threads`)
          .set(as(member))
          .send({ title: 'Held for a moderator', body: 'A first thread in a reviewed category.' })
          .expect(202),
      );
      await seen(t.http.patch(`/api/posts/${postId}`).set(as(member)).send({ body: 'Scan days, edited.' }).expect(200));
      await seen(t.http.get(`/api/posts/${postId}/revisions`).set(as(member)).expect(200));
      await seen(t.http.put(`/api/posts/${postId}/reactions/hug`).set(as(moderator)).expect(200));
      await seen(t.http.post(`/api/threads/${threadId}/pin`).set(as(moderator)).expect(200));
      const hits = await seen(t.http.get(`/api/search?q=${word}`).expect(200));
      expect(hits.body.items.length).toBeGreaterThan(0);
      await seen(t.http.get('/api/moderation/queue').set(as(moderator)).expect(200));
      await seen(t.http.get('/api/threads/999999999').expect(404));
      await seen(t.http.get('/api/threads/abc').expect(400));
      await seen(t.http.post(`/api/threads/${threadId}/posts`).send({ body: 'x' }).expect(401));
      await seen(t.http.post('/api/categories').set(as(member)).send({}).expect(403));
      await seen(t.http.post('/api/categories').set(as(admin)).send({ slug: open.slug, name: 'Again' }).expect(409));
      const blocked = `zq${randomBytes(4).toString('hex')}`;
      await seen(
        t.http
          .post('/api/moderation/watched-words')
          .set(as(admin))
          .send({ pattern: blocked, action: 'block' })
          .expect(201),
      );
      await seen(t.http.get('/api/moderation/watched-words').set(as(admin)).expect(200));
      await seen(
        t.http
          .post(`/api/threads/${threadId}/posts`)
          .set(as(member))
          .send({ body: `a ${blocked} here` })
          .expect(422),
      );
      expect(problems).toEqual([]);
    });

    it('accounts, captcha, comments, ratings, rooms, notifications and moderation', async () => {
      const admin = await createUser(t, { role: 'admin' });
      const moderator = await createUser(t, { role: 'moderator' });
      const member = await createUser(t);
      await trust(t, member);
      const as = (u: { accessToken: string }) => bearer(u.accessToken);
      const username = uniqueUsername();

      await seen(t.http.get('/api/captcha?kind=image').expect(200));
      const registered = await seen(
        t.http
          .post('/api/auth/register')
          .send({
            username,
            email: `${username}@example.org`,
            password: strongPassword(),
            captcha: await solvedCaptcha(t.http),
          })
          .expect(201),
      );
      await seen(t.http.post('/api/auth/refresh').send({ refreshToken: registered.body.refreshToken }).expect(200));
      await seen(t.http.post('/api/auth/login').send({ login: username, password: 'not-the-password' }).expect(401));
      await seen(t.http.get('/api/me').set(as(member)).expect(200));
      await seen(t.http.patch('/api/me').set(as(member)).send({ displayName: 'Calm' }).expect(200));
      await seen(t.http.get(`/api/users/${member.username}`).expect(200));
      await seen(t.http.get('/api/users/nobody_here_at_all').expect(404));
      await seen(t.http.get('/api/me/blocks').set(as(member)).expect(200));

      const key = `article-${randomBytes(4).toString('hex')}`;
      const article = { title: 'Living with stage four', url: 'https://example.org/stage-four' };
      await seen(t.http.put(`/api/pages/${key}`).set(as(admin)).send(article).expect(201));
      await seen(t.http.put(`/api/pages/${key}`).set(as(admin)).send(article).expect(200));
      await seen(t.http.get(`/api/pages/${key}`).set(as(member)).expect(200));
      await seen(t.http.get(`/api/pages?keys=${key}`).expect(200));
      const comment = await seen(
        t.http.post(`/api/pages/${key}/comments`).set(as(member)).send({ body: 'Thank you for this.' }).expect(201),
      );
      await seen(
        t.http
          .post(`/api/pages/${key}/comments`)
          .set(as(member))
          .send({ body: 'And a reply.', parentId: comment.body.id })
          .expect(201),
      );
      await seen(
        t.http
          .post(`/api/pages/${key}/comments`)
          .send({ body: 'From a guest.', authorName: 'Sam', acceptTerms: true, captcha: await solvedCaptcha(t.http) })
          .expect(202),
      );
      await seen(t.http.get(`/api/pages/${key}/comments`).expect(200));
      await seen(
        t.http.patch(`/api/comments/${comment.body.id}`).set(as(member)).send({ body: 'Thanks!' }).expect(200),
      );
      await seen(t.http.put(`/api/pages/${key}/rating`).set(as(member)).send({ stars: 4 }).expect(200));

      const slug = `room-${randomBytes(4).toString('hex')}`;
      await seen(
        t.http.post('/api/chat/rooms').set(as(moderator)).send({ slug, name: 'Evening', kind: 'open' }).expect(201),
      );
      await seen(t.http.get('/api/chat/rooms').expect(200));
      const { socket } = await chat.joined(t, member, slug);
      await send(socket, slug, 'Hello, evening room.');
      const history = await seen(t.http.get(`/api/chat/rooms/${slug}/messages`).set(as(member)).expect(200));
      expect(history.body.items).toHaveLength(1);

      await seen(
        t.http
          .post('/api/reports')
          .set(bearer(registered.body.accessToken))
          .send({ targetType: 'comment', targetId: comment.body.id, reason: 'spam' })
          .expect(201),
      );
      await seen(t.http.get('/api/moderation/queue?type=comment').set(as(moderator)).expect(200));
      const [item] = (await t.db.query(
        `SELECT id FROM moderation_items WHERE target_type = 'comment' AND target_id = $1 AND status = 'open'`,
        [comment.body.id],
      )) as Array<{ id: string }>;
      await seen(
        t.http.post(`/api/moderation/queue/${item.id}/resolve`).set(as(moderator)).send({ action: 'hide' }).expect(200),
      );
      const notifications = await seen(t.http.get('/api/notifications').set(as(member)).expect(200));
      expect(notifications.body.items.length).toBeGreaterThan(0);
      await seen(
        t.http
          .post(`/api/moderation/users/${member.username}/sanctions`)
          .set(as(moderator))
          .send({ kind: 'silence', reason: 'A pause' })
          .expect(201),
      );
      const sanctions = await seen(
        t.http.get(`/api/moderation/users/${member.username}/sanctions`).set(as(moderator)).expect(200),
      );
      await seen(
        t.http
          .delete(`/api/moderation/users/${member.username}/sanctions/${sanctions.body[0].id}`)
          .set(as(moderator))
          .expect(200),
      );
      await seen(t.http.get('/api/moderation/audit-log').set(as(moderator)).expect(200));
      expect(problems).toEqual([]);
    });
  });
});
