import { startTestApp, type TestApp } from './app';
import { createUser, strongPassword, uniqueUsername } from './factories/users';
import { powPayload, setCookies, signInBrowser, visitorSession } from './factories/web';

/** The ALTCHA widget's payload for a solved challenge (base64 JSON, our challenge id riding in the salt). */

const captchaIdOf = (html: string) => /name="captchaId" value="([0-9a-f-]{36})"/.exec(html)?.[1];

/** Account pages: signing up and signing in. */
describe('Account pages (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('GET /signup', () => {
    it('shows the form with hints, the guidelines to accept and an image captcha that works without scripts', async () => {
      const res = await t.http.get('/signup').expect(200);
      expect(res.text).toContain('<h1>Join Haven</h1>');
      for (const name of ['username', 'email', 'password', 'displayName', 'acceptGuidelines', 'captchaAnswer']) {
        expect(res.text).toMatch(new RegExp(`<label[^>]* for="${name}"`));
      }
      expect(res.text).toContain('Never shown to other members');
      expect(res.text).toMatch(/At least 10 characters/);
      expect(res.text).toMatch(
        /<img class="captcha-picture" src="data:image\/png;base64,[A-Za-z0-9+/=]+" width="\d+" height="\d+" alt="Captcha picture[^"]+"/,
      );
      expect(captchaIdOf(res.text)).toBeDefined();
      expect(res.text).toContain('value="new-picture"');
      expect(res.text).toContain('href="/guidelines"');
      expect(res.text).toContain('action="/signup#form-problem"');
    });

    it('sends a signed-in member home', async () => {
      const member = await createUser(t);
      const browser = await signInBrowser(t, member);
      const res = await t.http.get('/signup').set('Cookie', browser.cookie).expect(303);
      expect(res.headers.location).toBe('/');
    });
  });

  describe('POST /signup', () => {
    async function visitor() {
      return visitorSession(t, '/signup');
    }
    function signUp(v: { cookie: string; csrf: string }, fields: Record<string, string>) {
      return t.http
        .post('/signup')
        .set('Cookie', v.cookie)
        .type('form')
        .send({ _csrf: v.csrf, ...fields });
    }

    it('creates the account with the proof-of-work payload, signs the browser in and says welcome', async () => {
      const v = await visitor();
      const username = uniqueUsername('web');
      const res = await signUp(v, {
        username: username.toUpperCase(),
        email: `${username}@Example.org`,
        password: strongPassword(),
        displayName: 'River Calm',
        acceptGuidelines: 'on',
        captchaKind: 'pow',
        altcha: await powPayload(t),
      }).expect(303);
      expect(res.headers.location).toBe('/');
      const cookies = setCookies(res);
      expect(cookies.haven_session).toBeTruthy();
      expect(decodeURIComponent(cookies.haven_flash)).toContain('Welcome to Haven, River Calm');
      const rows = (await t.db.query('SELECT username, email, display_name FROM users WHERE username = $1', [
        username,
      ])) as Array<{ username: string; email: string; display_name: string }>;
      expect(rows[0]).toEqual({ username, email: `${username}@example.org`, display_name: 'River Calm' });
      const settings = await t.http
        .get('/settings')
        .set('Cookie', `${v.cookie}; haven_session=${cookies.haven_session}`)
        .expect(200);
      expect(settings.text).toContain(`@${username}`);
    });

    it('refuses a weak password with 422, keeping everything typed but the password, with a fresh captcha', async () => {
      const v = await visitor();
      const first = await t.http.get('/signup').set('Cookie', v.cookie);
      const username = uniqueUsername('weak');
      const res = await signUp(v, {
        username,
        email: `${username}@example.org`,
        password: 'password123',
        displayName: 'Hopeful <Heart>',
        acceptGuidelines: 'on',
        captchaId: captchaIdOf(first.text)!,
        captchaAnswer: 'abcde',
      }).expect(422);
      expect(res.text).toMatch(/<a href="#password">Password (must be|is too easy)/);
      expect(res.text).toContain(`value="${username}"`);
      expect(res.text).toContain(`value="${username}@example.org"`);
      expect(res.text).toContain('value="Hopeful &lt;Heart&gt;"');
      expect(res.text).not.toContain('password123');
      expect(res.text).toMatch(/id="password"[^>]*aria-describedby="password-hint password-error" aria-invalid="true"/);
      expect(res.text).toMatch(/id="acceptGuidelines"[^>]* checked/);
      expect(captchaIdOf(res.text)).toBeDefined();
      expect(captchaIdOf(res.text)).not.toBe(captchaIdOf(first.text));
      const count = (await t.db.query('SELECT count(*)::int AS n FROM users WHERE username = $1', [
        username,
      ])) as Array<{
        n: number;
      }>;
      expect(count[0].n).toBe(0);
    });

    it('refuses a taken username with 409 and says so plainly', async () => {
      const existing = await createUser(t);
      const v = await visitor();
      const res = await signUp(v, {
        username: existing.username,
        email: `${uniqueUsername('other')}@example.org`,
        password: strongPassword(),
        acceptGuidelines: 'on',
        captchaKind: 'pow',
        altcha: await powPayload(t),
      }).expect(409);
      expect(res.text).toContain('Username is already taken');
      expect(res.text).toContain(`value="${existing.username}"`);
    });

    it('refuses a wrong picture answer with 422, using the challenge up, and shows a new picture', async () => {
      const v = await visitor();
      const page = await t.http.get('/signup').set('Cookie', v.cookie);
      const id = captchaIdOf(page.text)!;
      const username = uniqueUsername('pic');
      const res = await signUp(v, {
        username,
        email: `${username}@example.org`,
        password: strongPassword(),
        acceptGuidelines: 'on',
        captchaId: id,
        captchaAnswer: 'not-it',
      }).expect(422);
      expect(res.text).toContain('The characters did not match the picture');
      expect(res.text).toMatch(/id="captchaAnswer"[^>]*aria-invalid="true"/);
      expect(res.text).toContain(`value="${username}"`);
      expect(captchaIdOf(res.text)).not.toBe(id);
      // The wrong answer used the challenge up: the API refuses it now even with a payload-free retry.
      await t.http
        .post('/api/auth/register')
        .send({ username, email: `${username}@example.org`, password: strongPassword(), captcha: { id, answer: 'x' } })
        .expect(400);
    });

    it('asks for the captcha when none was answered, and for the guidelines before that', async () => {
      const v = await visitor();
      const username = uniqueUsername('none');
      const fields = { username, email: `${username}@example.org`, password: strongPassword() };
      const noGuidelines = await signUp(v, fields).expect(422);
      expect(noGuidelines.text).toContain('Please read and accept the community guidelines to join.');
      expect(noGuidelines.text).toMatch(/id="acceptGuidelines"[^>]*aria-invalid="true"/);
      const noCaptcha = await signUp(v, { ...fields, acceptGuidelines: 'on' }).expect(422);
      expect(noCaptcha.text).toContain('Please type the characters from the picture');
      const noPow = await signUp(v, { ...fields, acceptGuidelines: 'on', captchaKind: 'pow' }).expect(422);
      expect(noPow.text).toContain('tick “I’m not a robot”');
      const badEmail = await signUp(v, { ...fields, email: 'not-an-email', acceptGuidelines: 'on' }).expect(422);
      expect(badEmail.text).toContain('Email must be an email address');
    });

    it('shows a different picture on request, keeping what was typed and creating nothing', async () => {
      const v = await visitor();
      const page = await t.http.get('/signup').set('Cookie', v.cookie);
      const username = uniqueUsername('again');
      const res = await signUp(v, {
        username,
        email: `${username}@example.org`,
        password: strongPassword(),
        captchaId: captchaIdOf(page.text)!,
        intent: 'new-picture',
      }).expect(200);
      expect(res.text).not.toContain('class="error-summary"');
      expect(res.text).toContain(`value="${username}"`);
      expect(captchaIdOf(res.text)).not.toBe(captchaIdOf(page.text));
      expect(res.text).toContain('data-kind="image"');
    });

    it('refuses a form without its token (403) or from another site', async () => {
      const v = await visitor();
      await t.http.post('/signup').set('Cookie', v.cookie).type('form').send({ username: 'x' }).expect(403);
      await t.http
        .post('/signup')
        .set('Cookie', v.cookie)
        .set('Origin', 'https://evil.example')
        .type('form')
        .send({ _csrf: v.csrf, username: 'x' })
        .expect(403);
    });
  });

  describe('sign in (kept working)', () => {
    it('signs in with the form and refuses a wrong password with one message, keeping the name', async () => {
      const member = await createUser(t);
      const v = await visitorSession(t, '/signin');
      const wrong = await t.http
        .post('/signin')
        .set('Cookie', v.cookie)
        .type('form')
        .send({ _csrf: v.csrf, login: member.username, password: 'wrong password' })
        .expect(422);
      expect(wrong.text).toContain('Wrong username, email or password');
      expect(wrong.text).toContain(`value="${member.username}"`);
      const browser = await signInBrowser(t, member);
      expect(browser.cookie).toContain('haven_session=');
    });
  });
});
