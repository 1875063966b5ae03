import { randomBytes } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import { EXCEPTION_FILTERS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { startTestApp, type TestApp } from './app';
import { ChatClients, createRoom, portOf, rawEmitAck } from './factories/chat';
import { createCategory, createThread } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { type BrowserSession, guestBrowser, signInBrowser } from './factories/web';
import type { ClientToServerEvents } from '../src/chat/chat-events';
import { WebExceptionFilter } from '../src/web/core/web-exception.filter';

/**
 * An outside fuzz of every operation of the OpenAPI document and every web page (issue 11): odd ids, odd cursors,
 * NUL characters, odd types and 20,000-deep JSON, as a guest, a member and a moderator. Nothing may answer 5xx.
 */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const DEEP_JSON = '['.repeat(20_000) + ']'.repeat(20_000);
const NUL = 'a\u0000b';
const ODD_IDS = ['0', '-1', 'abc', '1e3', '99999999999999999999', '%00', 'x'.repeat(300)];
const ODD_CURSORS = [
  b64([true, 'abc', '99999999999999999999']),
  b64(['9223372036854775808']),
  b64([1e300, 'x', null, {}]),
  b64({ a: [1] }),
  '%00garbage%ff',
];
const ODD_VALUES: unknown[] = [null, 1e300, -1.5, true, [], [NUL], {}, { a: { b: [1] } }, 'x'.repeat(3000)];
/** Field names that forms and bodies use, for a body whose schema the document does not (yet) describe. */
const COMMON_FIELDS = ['body', 'title', 'login', 'password', 'note', 'reason', 'displayName', 'bio', 'name', 'q'];
/** Every client event of the chat socket (a new event fails the typecheck until it is listed here). */
const SOCKET_EVENTS: Record<keyof ClientToServerEvents, true> = {
  'room:join': true,
  'room:leave': true,
  'message:send': true,
  'message:delete': true,
  typing: true,
  'room:mute': true,
  'room:kick': true,
};
const SOCKET_FIELDS = ['room', 'body', 'clientId', 'id', 'sinceId', 'typing', 'username', 'minutes', 'reason'];
const DESTRUCTIVE = /logout|signout|sign-out|\/me$|delete|sessions|password|account/;

interface Target {
  method: string;
  /** With `{param}` placeholders. */
  path: string;
  params: string[];
  query: string[];
  fields: string[];
  web: boolean;
}

interface Attempt {
  label: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

type Schema = { $ref?: string; properties?: Record<string, unknown>; allOf?: Schema[] };
type Doc = {
  paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; requestBody?: unknown }>>;
  components?: { schemas?: Record<string, Schema> };
};

function fieldsOf(doc: Doc, schema: Schema | undefined, seen = 0): string[] {
  if (!schema || seen > 5) return [];
  if (schema.$ref) return fieldsOf(doc, doc.components?.schemas?.[schema.$ref.split('/').pop() ?? ''], seen + 1);
  return [...Object.keys(schema.properties ?? {}), ...(schema.allOf ?? []).flatMap((s) => fieldsOf(doc, s, seen + 1))];
}

function apiTargets(doc: Doc): Target[] {
  const targets: Target[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const fromTemplate = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const body = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)?.content;
      targets.push({
        method: method.toUpperCase(),
        path,
        params: fromTemplate,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        fields: fieldsOf(doc, body?.['application/json']?.schema),
        web: false,
      });
    }
  }
  return targets;
}

/** The web pages, from Nest's route table: every controller that shows its errors as pages. */
function webTargets(t: TestApp): Target[] {
  const targets: Target[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const ctor = wrapper.metatype as (new () => object) | null;
      const filters = (ctor && (Reflect.getMetadata(EXCEPTION_FILTERS_METADATA, ctor) as unknown[])) || [];
      if (!ctor || !filters.includes(WebExceptionFilter)) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, ctor) ?? '');
      const proto = ctor.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const sub = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (sub === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
        for (const one of [sub].flat()) {
          const path = `/${[base, one].filter((s) => s && s !== '/').join('/')}`.replace(/\/+/g, '/');
          const params = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]);
          targets.push({ method, path: path.replace(/:(\w+)/g, '{$1}'), params, query: [], fields: [], web: true });
        }
      }
    }
  }
  return targets;
}

describe('Fuzz of every route (e2e)', () => {
  let t: TestApp;
  let base: string;
  const real: Record<string, string> = {};
  let roles: Array<{ name: string; api: Record<string, string>; web: BrowserSession }>;

  beforeAll(async () => {
    t = await startTestApp();
    base = `http://127.0.0.1:${portOf(t)}`;
    const [admin, member, moderator] = await Promise.all([
      createUser(t, { role: 'admin' }),
      createUser(t),
      createUser(t, { role: 'moderator' }),
    ]);
    const category = await createCategory(t, admin);
    const thread = await createThread(t, member, category.slug);
    const room = await createRoom(t, moderator);
    const key = `fuzz-${randomBytes(4).toString('hex')}`;
    await t.http
      .put(`/api/pages/${key}`)
      .set(bearer(admin.accessToken))
      .send({ title: 'Fuzzed', url: 'https://example.org/f' });
    Object.assign(real, {
      slug: category.slug,
      roomSlug: room.slug,
      threadId: thread.threadId,
      postId: thread.postId,
      key,
      username: member.username,
    });
    const web = async (user?: TestUser) => (user ? signInBrowser(t, user) : guestBrowser(t));
    roles = [
      { name: 'guest', api: {}, web: await web() },
      { name: 'member', api: bearer(member.accessToken), web: await web(member) },
      { name: 'moderator', api: bearer(moderator.accessToken), web: await web(moderator) },
    ];
  });
  afterAll(() => t.close());

  /** A sensible value for a path parameter, so that odd queries and bodies get past the lookup. */
  function realParam(path: string, name: string): string {
    if (name === 'slug') return path.includes('room') || path.includes('chat') ? real.roomSlug : real.slug;
    if (name === 'key') return real.key;
    if (name === 'username') return real.username;
    if (name === 'postId' || path.includes('/posts/')) return real.postId;
    return real.threadId;
  }

  function fill(target: Target, odd?: { name: string; value: string }): string {
    return target.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
      odd?.name === name
        ? odd.value.startsWith('%')
          ? odd.value
          : encodeURIComponent(odd.value)
        : realParam(target.path, name),
    );
  }

  function attemptsFor(target: Target, role: (typeof roles)[number]): Attempt[] {
    const auth = target.web ? { Cookie: role.web.cookie, Accept: 'text/html' } : role.api;
    const json = { ...auth, 'Content-Type': 'application/json' };
    const form = { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' };
    const url = (path: string, query = '') => `${path}${query ? `?${query}` : ''}`;
    const out: Attempt[] = [];
    for (const name of target.params) {
      for (const value of ODD_IDS) {
        out.push({
          label: `${name}=${value.slice(0, 20)}`,
          method: target.method,
          url: fill(target, { name, value }),
          headers: auth,
        });
      }
    }
    const path = fill(target);
    if (target.method === 'GET') {
      for (const cursor of ODD_CURSORS) {
        const c = cursor.startsWith('%') ? cursor : encodeURIComponent(cursor);
        out.push({
          label: 'cursor',
          method: 'GET',
          url: url(path, `cursor=${c}&before=${c}&after=${c}`),
          headers: auth,
        });
      }
      const names = [...new Set([...target.query, 'q', 'limit', 'next', 'status', 'type'])];
      out.push({
        label: 'query NUL',
        method: 'GET',
        url: url(path, names.map((n) => `${n}=a%00b`).join('&')),
        headers: auth,
      });
      out.push({
        label: 'query arrays',
        method: 'GET',
        url: url(path, names.map((n) => `${n}=1&${n}=2`).join('&')),
        headers: auth,
      });
      out.push({
        label: 'query next',
        method: 'GET',
        url: url(path, 'next=%2F%09%2Fevil.example&q=%0d%0a'),
        headers: auth,
      });
      return out;
    }
    const fields = [...new Set([...target.fields, ...COMMON_FIELDS])];
    const known = target.fields.length > 0 ? target.fields : fields;
    const send = (label: string, body: string, headers: Record<string, string>) =>
      out.push({ label, method: target.method, url: path, headers, body });
    if (target.web) {
      const encode = (values: Record<string, string>) => new URLSearchParams(values).toString();
      const all = (value: string) => Object.fromEntries(fields.map((f) => [f, value]));
      send('form NUL', encode({ ...all(NUL), _csrf: role.web.csrf, next: '/%09/evil.example' }), form);
      send('form bad token', encode({ ...all('hello'), _csrf: 'not-a-token' }), form);
      send('form next', encode({ ...all('hello'), _csrf: role.web.csrf, next: '/ok\r\nX: y' }), form);
      send('deep JSON', DEEP_JSON, json);
      return out;
    }
    send('NUL', JSON.stringify(Object.fromEntries(fields.map((f) => [f, NUL]))), json);
    for (const value of ODD_VALUES) {
      send(
        `odd ${JSON.stringify(value).slice(0, 20)}`,
        JSON.stringify(Object.fromEntries(known.map((f) => [f, value]))),
        json,
      );
    }
    for (const body of [DEEP_JSON, `{"body":${DEEP_JSON}}`, '[]', '"text"', 'null', '{"a":'])
      send('raw body', body, json);
    return out;
  }

  async function run(attempts: Array<Attempt & { role: string }>, failures: string[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < attempts.length) {
        const a = attempts[next++];
        try {
          const res = await fetch(`${base}${a.url}`, {
            method: a.method,
            headers: a.headers,
            body: a.body,
            redirect: 'manual',
          });
          await res.arrayBuffer();
          if (res.status >= 500)
            failures.push(`${a.role} ${a.method} ${a.url.slice(0, 120)} [${a.label}] -> ${res.status}`);
        } catch (err) {
          failures.push(`${a.role} ${a.method} ${a.url.slice(0, 120)} [${a.label}] -> ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
  }

  it('answers no 5xx to odd ids, cursors, NULs, odd types and deep JSON on every operation and page', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as Doc;
    const targets = [...apiTargets(doc), ...webTargets(t)];
    expect(targets.filter((x) => !x.web).length).toBeGreaterThan(40);
    expect(targets.filter((x) => x.web).length).toBeGreaterThan(20);
    const attempts = roles.flatMap((role) =>
      targets.flatMap((target) => attemptsFor(target, role).map((a) => ({ ...a, role: role.name, target }))),
    );
    // Signing out, deleting the account and the like go last, so that the rest is tried as a signed-in member.
    const later = attempts.filter((a) => a.target.method !== 'GET' && DESTRUCTIVE.test(a.target.path));
    const first = attempts.filter((a) => !later.includes(a));
    const failures: string[] = [];
    await run(first, failures);
    await run(later, failures);
    expect(attempts.length).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  }, 120_000);

  it('answers no 5xx to odd socket payloads on every chat event, as a member and a moderator', async () => {
    const clients = new ChatClients();
    const deepValue = (depth: number): unknown => (depth === 0 ? 'x' : [deepValue(depth - 1)]);
    const payloads: unknown[] = [
      null,
      'text',
      [1, 2],
      Object.fromEntries(SOCKET_FIELDS.map((f) => [f, NUL])),
      ...ODD_VALUES.map((value) => Object.fromEntries(SOCKET_FIELDS.map((f) => [f, value]))),
      { room: real.roomSlug, sinceId: '99999999999999999999', id: '99999999999999999999', body: 'hi', clientId: 'f1' },
      { room: real.roomSlug, extra: deepValue(60) },
    ];
    const failures: string[] = [];
    try {
      // Fresh accounts: the HTTP fuzz may have signed its own out.
      for (const who of ['member', 'moderator'] as const) {
        const socket = await clients.connect(t, await createUser(t, who === 'member' ? {} : { role: who }));
        await rawEmitAck(socket, 'room:join', { room: real.roomSlug });
        for (const event of Object.keys(SOCKET_EVENTS)) {
          for (const payload of payloads) {
            const ack = await rawEmitAck(socket, event, payload).catch((err: Error) => ({
              ok: false,
              lost: err.message,
            }));
            const status = 'error' in ack ? ack.error.statusCode : 'lost' in ack ? 0 : 200;
            if (status >= 500 || status === 0) {
              failures.push(`${who} ${event} ${JSON.stringify(payload).slice(0, 80)} -> ${JSON.stringify(ack)}`);
            }
          }
        }
      }
    } finally {
      clients.closeAll();
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
