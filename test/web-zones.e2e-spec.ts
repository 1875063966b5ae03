import type { TestApp } from './app';
import { createRoom } from './factories/chat';
import { bearer, createUser, strongPassword, type TestUser, uniqueUsername } from './factories/users';
import { csrfOf, powPayload, setCookies, signInBrowser, visitorSession } from './factories/web';
import { startAppWithStaff } from './support/staff-app';
import { readable } from './support/html-text';

/** A session room whose window is known to the minute: 15 Jan 2031, 18:00 to 19:30 UTC. */
const STARTS = '2031-01-15T18:00:00.000Z';
const ENDS = '2031-01-15T19:30:00.000Z';

/** Local time (issue 13, item 5): every time in the reader's zone, named; guests read UTC, named. */
describe('Times in the reader’s zone (web)', () => {
  let t: TestApp;
  let mod: TestUser;
  let slug: string;
  beforeAll(async () => {
    ({ t, mod } = await startAppWithStaff());
    slug = (await createRoom(t, mod, { kind: 'session', startsAt: STARTS, endsAt: ENDS })).slug;
  });
  afterAll(() => t.close());

  const setZone = (user: TestUser, timeZone: string) =>
    t.http.patch('/api/me').set(bearer(user.accessToken)).send({ timeZone });

  it('shows a guest a session’s window in UTC, saying so', async () => {
    const list = await t.http.get('/chat').expect(200);
    expect(list.text).toContain('Session: 15 Jan, 18:00 to 19:30 UTC. Opens then.');
    const room = await t.http.get(`/chat/${slug}`).expect(200);
    expect(room.text).toContain('Session: 15 Jan, 18:00 to 19:30 UTC. Opens then.');
  });

  it('shows a member without a zone UTC, and one with a zone her own clock, named, on lists and rooms', async () => {
    const utc = await signInBrowser(t, await createUser(t));
    const plain = await t.http.get(`/chat/${slug}`).set('Cookie', utc.cookie).expect(200);
    expect(plain.text).toContain('15 Jan, 18:00 to 19:30 UTC');
    expect(plain.text).toContain('data-zone="UTC" data-zone-label="UTC"');

    const ann = await createUser(t);
    await setZone(ann, 'America/New_York').expect(200);
    const b = await signInBrowser(t, ann);
    const list = await t.http.get('/chat').set('Cookie', b.cookie).expect(200);
    expect(list.text).toContain('Session: 15 Jan, 13:00 to 14:30 New York time. Opens then.');
    const room = await t.http.get(`/chat/${slug}`).set('Cookie', b.cookie).expect(200);
    expect(room.text).toContain('15 Jan, 13:00 to 14:30 New York time');
    // The chat island writes live messages' times in the zone the page names.
    expect(room.text).toContain('data-zone="America/New_York" data-zone-label="New York time"');

    // A zone that crosses midnight: the window's end carries its own day.
    await setZone(ann, 'Asia/Tokyo').expect(200);
    const tokyo = await t.http.get('/chat').set('Cookie', b.cookie).expect(200);
    expect(tokyo.text).toContain('16 Jan, 03:00 to 04:30 Tokyo time');
  });

  it('writes moderators’ times in their zone too', async () => {
    const own = await createUser(t, { role: 'moderator' });
    await setZone(own, 'Europe/Paris').expect(200);
    const b = await signInBrowser(t, own);
    const rooms = await t.http.get('/mod/rooms').set('Cookie', b.cookie).expect(200);
    expect(rooms.text).toContain('15 Jan 2031, 19:00 Paris time');
    expect(rooms.text).not.toContain('15 Jan 2031, 18:00 UTC');
  });

  it('reads a moderator’s session times in her zone, as the form names it', async () => {
    const ny = await createUser(t, { role: 'moderator' });
    await setZone(ny, 'America/New_York').expect(200);
    const b = await signInBrowser(t, ny);
    const form = await t.http.get('/mod/rooms').set('Cookie', b.cookie).expect(200);
    expect(readable(form.text)).toContain('A session’s times, in New York time');
    expect(form.text).toContain('<input type="hidden" name="zone" value="America/New_York">');
    const roomSlug = `ny-${Date.now().toString(36)}`;
    await t.http
      .post('/mod/rooms')
      .set('Cookie', b.cookie)
      .type('form')
      .send({
        _csrf: b.csrf,
        slug: roomSlug,
        name: 'Thursday evening circle',
        kind: 'session',
        startsAt: '2031-01-16T18:00',
        endsAt: '2031-01-16T19:30',
        zone: 'America/New_York',
        slowModeSeconds: '0',
        approval: 'none',
      })
      .expect(303);
    const rooms = await t.http.get('/api/chat/rooms').expect(200);
    expect(rooms.body.find((r: { slug: string }) => r.slug === roomSlug)).toMatchObject({
      startsAt: '2031-01-16T23:00:00.000Z',
      endsAt: '2031-01-17T00:30:00.000Z',
    });
    const edit = await t.http.get(`/mod/rooms/${roomSlug}`).set('Cookie', b.cookie).expect(200);
    expect(edit.text).toContain('name="startsAt" value="2031-01-16T18:00"');
    // A guest reads the same evening in UTC: it crosses midnight there.
    const guest = await t.http.get('/chat').expect(200);
    expect(guest.text).toContain('16 Jan, 23:00 to 17 Jan, 00:30 UTC');
  });

  it('tells a sanctioned member until when, in her zone', async () => {
    const ann = await createUser(t);
    await setZone(ann, 'Europe/Paris').expect(200);
    await t.http
      .post(`/api/moderation/users/${ann.username}/sanctions`)
      .set(bearer(mod.accessToken))
      .send({ kind: 'silence', reason: 'a pause', until: '2031-01-15T18:00:00.000Z' })
      .expect(201);
    const b = await signInBrowser(t, ann);
    const page = await t.http.get('/chat').set('Cookie', b.cookie).expect(200);
    expect(page.text).toContain(
      'You are silenced until <time datetime="2031-01-15T18:00:00.000Z">15 Jan 2031, 19:00 Paris time</time>',
    );
  });

  it('keeps the zone on the API: canonical names in, null until chosen, a clear 400 for a zone Intl does not know', async () => {
    const ann = await createUser(t);
    const before = await t.http.get('/api/me').set(bearer(ann.accessToken)).expect(200);
    expect(before.body.timeZone).toBeNull();
    const saved = await setZone(ann, 'us/eastern').expect(200);
    expect(saved.body.timeZone).toBe('America/New_York');
    const bad = await setZone(ann, 'Mars/Olympus_Mons').expect(400);
    expect(bad.body.message).toContain('timeZone must be an IANA time zone such as Europe/London');
    const after = await t.http.get('/api/me').set(bearer(ann.accessToken)).expect(200);
    expect(after.body.timeZone).toBe('America/New_York');
    await t.http.patch('/api/me').send({ timeZone: 'Europe/Paris' }).expect(401);
    // The API's sign-in offers a zone as the pages' does: kept only by a member who has none.
    const bea = await createUser(t);
    await t.http
      .post('/api/auth/login')
      .send({ login: bea.username, password: bea.password, timeZone: 'Asia/Seoul' })
      .expect(200);
    await t.http
      .post('/api/auth/login')
      .send({ login: bea.username, password: bea.password, timeZone: 'Asia/Tokyo' })
      .expect(200);
    const beaMe = await t.http.get('/api/me').set(bearer(bea.accessToken)).expect(200);
    expect(beaMe.body.timeZone).toBe('Asia/Seoul');
    await t.http
      .post('/api/auth/login')
      .send({ login: bea.username, password: bea.password, timeZone: 'Mars/Base' })
      .expect(400);
  });

  describe('/settings time zone', () => {
    let ann: TestUser;
    let b: { cookie: string; csrf: string };
    beforeEach(async () => {
      ann = await createUser(t);
      b = await signInBrowser(t, ann);
    });
    const post = (timeZone: string, session = b) =>
      t.http
        .post('/settings/time-zone')
        .set('Cookie', session.cookie)
        .type('form')
        .send({ _csrf: session.csrf, timeZone });

    it('offers every zone, says UTC until she chooses, saves her choice and then writes times in it', async () => {
      const page = await t.http.get('/settings').set('Cookie', b.cookie).expect(200);
      expect(page.text).toContain('<h2 id="zone-heading">Your time zone</h2>');
      expect(page.text).toContain('You have not chosen a zone yet, so times are in UTC.');
      expect(page.text).toContain('<option>America/New_York</option>');
      expect(page.text).toContain('<option value="" selected>Choose your zone</option>');

      const res = await post('America/Chicago').expect(303);
      expect(res.headers.location).toBe('/settings#zone-heading');
      expect(decodeURIComponent(setCookies(res).haven_flash)).toBe('Times are now shown in Chicago time.');
      const after = await t.http.get('/settings').set('Cookie', b.cookie).expect(200);
      expect(after.text).toContain('<option selected>America/Chicago</option>');
      expect(after.text).toContain('Now: <strong>Chicago time</strong>.');
      const list = await t.http.get('/chat').set('Cookie', b.cookie).expect(200);
      expect(list.text).toContain('15 Jan, 12:00 to 13:30 Chicago time');
    });

    it('refuses a zone that does not exist with 422, by its label, and keeps the one she had', async () => {
      await post('Europe/Lisbon').expect(303);
      const res = await post('Atlantis/Capital').expect(422);
      expect(res.text).toContain('Time zone must be an IANA time zone such as Europe/London');
      expect(res.text).toMatch(/id="timeZone"[^>]*aria-invalid="true"/);
      await post('').expect(422);
      const me = await t.http.get('/api/me').set(bearer(ann.accessToken)).expect(200);
      expect(me.body.timeZone).toBe('Europe/Lisbon');
    });

    it('refuses a guest and a form without its token', async () => {
      const v = await visitorSession(t, '/signin');
      await post('Europe/Paris', v).expect(401);
      await t.http
        .post('/settings/time-zone')
        .set('Cookie', b.cookie)
        .type('form')
        .send({ timeZone: 'Europe/Paris' })
        .expect(403);
      const me = await t.http.get('/api/me').set(bearer(ann.accessToken)).expect(200);
      expect(me.body.timeZone).toBeNull();
    });
  });

  describe('sign-in offers the browser’s zone to a member without one', () => {
    async function signInWith(user: TestUser, timeZone: string) {
      const page = await t.http.get('/signin').expect(200);
      expect(page.text).toContain('<input type="hidden" name="timeZone" value="" data-time-zone>');
      await t.http
        .post('/signin')
        .set('Cookie', `haven_visitor=${setCookies(page).haven_visitor}`)
        .type('form')
        .send({ _csrf: csrfOf(page.text), login: user.username, password: user.password, next: '/', timeZone })
        .expect(303);
      return (
        (await t.http.get('/api/me').set(bearer(user.accessToken)).expect(200)).body as { timeZone: string | null }
      ).timeZone;
    }

    it('keeps it when she has none, never over one she chose, and ignores a zone nobody knows', async () => {
      const ann = await createUser(t);
      expect(await signInWith(ann, 'Nowhere/Special')).toBeNull();
      expect(await signInWith(ann, 'Europe/Madrid')).toBe('Europe/Madrid');
      expect(await signInWith(ann, 'Asia/Tokyo')).toBe('Europe/Madrid');
    });
  });

  describe('sign-up guesses the zone from the browser', () => {
    async function signUp(timeZone: string | undefined) {
      const v = await visitorSession(t, '/signup');
      const username = uniqueUsername('tz');
      const res = await t.http
        .post('/signup')
        .set('Cookie', v.cookie)
        .type('form')
        .send({
          _csrf: v.csrf,
          username,
          email: `${username}@example.org`,
          password: strongPassword(),
          acceptGuidelines: 'on',
          captchaKind: 'pow',
          altcha: await powPayload(t),
          ...(timeZone === undefined ? {} : { timeZone }),
        })
        .expect(303);
      const rows = (await t.db.query('SELECT time_zone AS "timeZone" FROM users WHERE username = $1', [
        username,
      ])) as Array<{ timeZone: string | null }>;
      return { res, timeZone: rows[0].timeZone };
    }

    it('carries an empty hidden field that the captcha island fills', async () => {
      const page = await t.http.get('/signup').expect(200);
      expect(page.text).toContain('<input type="hidden" name="timeZone" value="" data-time-zone>');
    });

    it('keeps the browser’s zone; without one (no JavaScript) or with an unknown one, the member reads UTC', async () => {
      expect((await signUp('Australia/Sydney')).timeZone).toBe('Australia/Sydney');
      expect((await signUp(undefined)).timeZone).toBeNull();
      expect((await signUp('Nowhere/Special')).timeZone).toBeNull();
    });
  });
});
