import { randomBytes } from 'node:crypto';
import { startTestApp, type TestApp } from './app';
import { ChatClients, createRoom, rawEmitAck } from './factories/chat';
import { createCategory, createThread } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { type BrowserSession, guestBrowser, signInBrowser } from './factories/web';
import { safeLocalPath } from '../src/web/core/safe-path';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepValue = (depth: number): unknown => (depth === 0 ? 'x' : [deepValue(depth - 1)]);

/** Cursors no list ever gave out: wrong types, past bigint, NaN, control characters, not JSON. */
const FORGED_CURSORS = [
  b64(['x', 'y', 'z']),
  b64([true, 'abc', '1']),
  b64([true, '1', '99999999999999999999']),
  b64([false, '1', '9223372036854775808']),
  b64(['9223372036854775808']),
  b64(['0']),
  b64([1e300, 0, '1', '1']),
  b64([1, 0, 'soon', '1']),
  b64(['NaN', '1', 'post']),
  b64(['0.5', '1', 'po\u0000st']),
  b64({ a: 1 }),
  'not-a-cursor!!',
];

describe('Input edges (issue 11, defects 5 and 6)', () => {
  let t: TestApp;
  let admin: TestUser;
  let member: TestUser;
  let other: TestUser;
  let moderator: TestUser;
  let slug: string;
  let threadId: string;
  let postId: string;
  let pageKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, member, other, moderator] = await Promise.all([
      createUser(t, { role: 'admin' }),
      createUser(t),
      createUser(t),
      createUser(t, { role: 'moderator' }),
    ]);
    slug = (await createCategory(t, admin)).slug;
    ({ threadId, postId } = await createThread(t, member, slug, { title: 'Scan days', body: 'Scan days are long' }));
    pageKey = `page-${randomBytes(4).toString('hex')}`;
    await t.http
      .put(`/api/pages/${pageKey}`)
      .set(bearer(admin.accessToken))
      .send({ title: 'An article', url: 'https://example.org/a' })
      .expect((res) => expect(res.status).toBeLessThan(300));
  });
  afterAll(() => t.close());

  it('defect 5: a forged cursor (wrong types, past bigint) is a 400 naming cursor on every list, chat history and page', async () => {
    const lists: Array<[string, TestUser | undefined]> = [
      [`/api/categories/${slug}/threads`, undefined],
      [`/api/threads/${threadId}/posts`, undefined],
      ['/api/search?q=scan', undefined],
      ['/api/moderation/queue', moderator],
      [`/api/pages/${pageKey}/comments`, undefined],
      ['/api/notifications', member],
    ];
    const failures: string[] = [];
    for (const [path, who] of lists) {
      for (const cursor of FORGED_CURSORS) {
        const url = `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
        const req = t.http.get(url);
        const res = await (who ? req.set(bearer(who.accessToken)) : req);
        if (res.status !== 400 || !JSON.stringify(res.body.message).includes('cursor')) {
          failures.push(`${url} -> ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
    }
    const room = await createRoom(t, moderator);
    for (const query of [
      'before=99999999999999999999',
      'after=9223372036854775808',
      'before=abc',
      'after=-1',
      'before=%00',
    ]) {
      const url = `/api/chat/rooms/${room.slug}/messages?${query}`;
      const res = await t.http.get(url).set(bearer(member.accessToken));
      if (res.status !== 400 || !JSON.stringify(res.body.message).includes(query.split('=')[0])) {
        failures.push(`${url} -> ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    for (const page of [`/c/${slug}`, '/search?q=scan']) {
      for (const cursor of FORGED_CURSORS) {
        const url = `${page}${page.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
        const res = await t.http.get(url).set('Accept', 'text/html');
        // A page answers a bad query with the page and its message (422 for a form, 400 for an address).
        if (res.status !== 400 && res.status !== 422) failures.push(`${url} -> ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('defect 5: a NUL character in a text field is a 400 naming the field (API)', async () => {
    const nul = 'a\u0000b';
    const checks: Array<[string, () => Promise<{ status: number; body: { message?: unknown } }>, string]> = [
      ['sign-in', () => t.http.post('/api/auth/login').send({ login: nul, password: 'whatever-pass' }), 'login'],
      [
        'post',
        () => t.http.post(`/api/threads/${threadId}/posts`).set(bearer(member.accessToken)).send({ body: nul }),
        'body',
      ],
      ['profile', () => t.http.patch('/api/me').set(bearer(member.accessToken)).send({ bio: nul }), 'bio'],
      [
        'report',
        () =>
          t.http
            .post('/api/reports')
            .set(bearer(other.accessToken))
            .send({ targetType: 'post', targetId: postId, reason: 'other', note: nul }),
        'note',
      ],
      [
        'comment',
        () => t.http.post(`/api/pages/${pageKey}/comments`).set(bearer(member.accessToken)).send({ body: nul }),
        'body',
      ],
      ['search', () => t.http.get('/api/search?q=a%00b'), 'q'],
      [
        'field name',
        () =>
          t.http
            .patch('/api/me')
            .set(bearer(member.accessToken))
            .send({ ['bi\u0000o']: 'x' }),
        '',
      ],
    ];
    const failures: string[] = [];
    for (const [what, run, field] of checks) {
      const res = await run();
      if (res.status !== 400 || !JSON.stringify(res.body.message).includes(field)) {
        failures.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('defect 5: socket payloads go through the same rule: NUL, null and deep nesting are a 400 naming the field', async () => {
    const clients = new ChatClients();
    try {
      const room = await createRoom(t, moderator);
      const socket = await clients.connect(t, member);
      expect(await rawEmitAck(socket, 'room:join', { room: room.slug })).toMatchObject({ ok: true });
      const answers = await Promise.all([
        rawEmitAck(socket, 'message:send', { room: room.slug, body: 'a\u0000b', clientId: 'nul-1' }),
        rawEmitAck(socket, 'room:join', { room: room.slug, sinceId: null }),
        rawEmitAck(socket, 'message:send', { room: room.slug, body: 'hi', clientId: 'deep-1', extra: deepValue(40) }),
      ]);
      expect(answers).toEqual([
        { ok: false, error: { statusCode: 400, message: expect.stringMatching(/^body must not contain NUL/) } },
        { ok: false, error: { statusCode: 400, message: expect.stringMatching(/^sinceId must not be null/) } },
        { ok: false, error: { statusCode: 400, message: expect.stringMatching(/^extra.* nested too deeply/) } },
      ]);
    } finally {
      clients.closeAll();
    }
  });

  it('defect 5: a NUL character in a web form (sign-in, thread reply, search) is a 400, not a 500', async () => {
    const guest = await guestBrowser(t);
    const signIn = await t.http
      .post('/signin')
      .set('Cookie', guest.cookie)
      .type('form')
      .send({ _csrf: guest.csrf, login: 'a\u0000b', password: 'whatever-pass' });
    const browser: BrowserSession = await signInBrowser(t, member);
    const replied = await t.http
      .post(`/t/${threadId}/reply`)
      .set('Cookie', browser.cookie)
      .type('form')
      .send({ _csrf: browser.csrf, body: 'hello\u0000there' });
    const searched = await t.http.get('/search?q=a%00b').set('Accept', 'text/html');
    expect([signIn.status, replied.status, searched.status]).toEqual([400, 400, 400]);
  });

  it('defect 5: JSON nested 20,000 deep is a 400', async () => {
    const nestedObject = `{"bio":${deep(20_000)}}`;
    const login = await t.http.post('/api/auth/login').set('Content-Type', 'application/json').send(deep(20_000));
    const me = await t.http
      .patch('/api/me')
      .set(bearer(member.accessToken))
      .set('Content-Type', 'application/json')
      .send(nestedObject);
    expect([login.status, me.status]).toEqual([400, 400]);
    expect(login.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it("defect 5: a newline in the sign-in form's next is ignored safely (never a 500)", async () => {
    const form = await t.http.get('/signin?next=%2Fok%0d%0aSet-Cookie%3A%20x%3D1').set('Accept', 'text/html');
    expect(form.status).toBe(200);
    const guest = await guestBrowser(t);
    const res = await t.http
      .post('/signin')
      .set('Cookie', guest.cookie)
      .type('form')
      .send({ _csrf: guest.csrf, login: member.username, password: member.password, next: '/ok\r\nSet-Cookie: x=1' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it('defect 5: PATCH /api/me with odd values is a 400 naming the field', async () => {
    const odd: unknown[] = [null, 42, true, [], ['x'], {}, { a: 1 }, 'x'.repeat(5000), 'a\u0000b'];
    const failures: string[] = [];
    for (const field of ['displayName', 'bio']) {
      for (const value of odd) {
        const res = await t.http
          .patch('/api/me')
          .set(bearer(member.accessToken))
          .send({ [field]: value });
        if (res.status !== 400 || !JSON.stringify(res.body.message).includes(field)) {
          failures.push(`${field}=${JSON.stringify(value).slice(0, 40)}: ${res.status} ${JSON.stringify(res.body)}`);
        }
      }
    }
    for (const body of ['[]', '"text"', '42', 'null']) {
      const res = await t.http
        .patch('/api/me')
        .set(bearer(member.accessToken))
        .set('Content-Type', 'application/json')
        .send(body);
      if (res.status !== 400) failures.push(`body ${body}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    expect(failures).toEqual([]);
    const me = await t.http.get('/api/me').set(bearer(member.accessToken)).expect(200);
    expect(me.body.displayName).toEqual(expect.any(String));
  });

  it('defect 6: next follows only same-site paths (tabs, slashes, encodings, unicode spaces fall back to /)', async () => {
    const evil = [
      '/%09/evil.example',
      '/\t/evil.example',
      '/\\evil.example',
      '/%5Cevil.example',
      '//evil.example',
      '/%2F/evil.example',
      '/%2f%2fevil.example',
      '/%252F/evil.example',
      '%0d%0a/evil',
      '/ok%0d%0aLocation:%20https://evil.example',
      '/\u00a0/evil.example',
      '/\u2028/evil.example',
      '/\u3000/evil.example',
      '/%E2%80%8B/evil.example',
      'https://evil.example',
      'javascript:alert(1)',
      '/%zz',
      '',
    ];
    for (const next of evil) expect([next, safeLocalPath(next)]).toEqual([next, '/']);
    for (const good of ['/', '/t/12', '/c/caregivers?cursor=abc#top', '/search?q=scan%2Bdays']) {
      expect(safeLocalPath(good)).toBe(good);
    }

    const wrong: string[] = [];
    for (const next of evil) {
      const guest = await guestBrowser(t);
      const res = await t.http
        .post('/signin')
        .set('Cookie', guest.cookie)
        .type('form')
        .send({ _csrf: guest.csrf, login: member.username, password: member.password, next });
      if (res.status !== 303 || res.headers.location !== '/') {
        wrong.push(`${JSON.stringify(next)} -> ${res.status} ${String(res.headers.location)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
