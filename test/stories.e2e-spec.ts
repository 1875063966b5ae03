import { AccountDeletionService } from '../src/account/account-deletion.service';
import { StoriesService } from '../src/stories/stories.service';
import { bearer, createUser, type TestUser } from './factories/users';
import { signInBrowser } from './factories/web';
import { type AccountApp, startAccountApp } from './support/account-app';
import { advanceClock } from './support/clock';

type Card = { username: string; displayName: string; story: Record<string, unknown> | null };

/** "My story" and the members page (issue 13, item 10): private unless she chooses, blocks both ways. */
describe(StoriesService.name, () => {
  let a: AccountApp;
  beforeAll(async () => {
    a = await startAccountApp();
  });
  afterAll(() => a.close());

  const putStory = (user: TestUser, story: Record<string, unknown>) =>
    a.t.http.put('/api/me/story').set(bearer(user.accessToken)).send(story);
  const members = async (user: TestUser, query: string) =>
    (await a.t.http.get(`/api/members?${query}`).set(bearer(user.accessToken)).expect(200)).body as {
      items: Card[];
      nextCursor: string | null;
    };
  const names = (cards: Card[]) => cards.map((c) => c.username);

  describe('GET/PUT /api/me/story', () => {
    it('is empty and private until she writes it; PUT replaces it; nulls for what she leaves out', async () => {
      const ann = await createUser(a.t);
      const empty = await a.t.http.get('/api/me/story').set(bearer(ann.accessToken)).expect(200);
      expect(empty.body).toEqual({
        role: null,
        subtype: null,
        diagnosisYear: null,
        country: null,
        shown: false,
        findable: false,
      });
      const saved = await putStory(ann, {
        role: 'patient',
        subtype: 'her2_positive',
        diagnosisYear: 2019,
        country: 'gb',
      });
      expect(saved.status).toBe(200);
      expect(saved.body).toEqual({
        role: 'patient',
        subtype: 'her2_positive',
        diagnosisYear: 2019,
        country: 'GB',
        shown: false,
        findable: false,
      });
      await putStory(ann, { role: 'carer' }).expect(200);
      const after = await a.t.http.get('/api/me/story').set(bearer(ann.accessToken)).expect(200);
      expect(after.body).toMatchObject({ role: 'carer', subtype: null, country: null });
    });

    it('refuses what is not a choice, a year to come, and being found without a subtype (400, naming the field)', async () => {
      const ann = await createUser(a.t);
      const refused = async (story: Record<string, unknown>, words: string) => {
        const res = await putStory(ann, story).expect(400);
        expect(JSON.stringify(res.body.message)).toContain(words);
      };
      await refused({ role: 'doctor' }, 'role must be one of patient, carer, bereaved');
      await refused({ subtype: 'luminal' }, 'subtype must be one of');
      await refused({ diagnosisYear: new Date().getUTCFullYear() + 1 }, 'diagnosisYear must not be after this year');
      await refused({ diagnosisYear: 1800 }, 'diagnosisYear must be 1950 or later');
      await refused({ country: 'XX' }, 'country must be a two-letter country code');
      await refused({ findable: true }, 'findable needs a subtype');
      await refused({ shown: 'yes' }, 'shown must be true or false');
      await a.t.http.get('/api/me/story').expect(401);
      await a.t.http.put('/api/me/story').send({ role: 'patient' }).expect(401);
    });
  });

  describe('GET /api/members', () => {
    it('lists only members who opted in, with their story only when shown; role and country only match shown ones', async () => {
      const seeker = await createUser(a.t);
      const open = await createUser(a.t);
      const quiet = await createUser(a.t);
      const hidden = await createUser(a.t);
      const other = await createUser(a.t);
      await putStory(open, { role: 'patient', subtype: 'triple_negative', country: 'US', shown: true, findable: true });
      await putStory(quiet, { role: 'patient', subtype: 'triple_negative', country: 'US', findable: true });
      await putStory(hidden, { role: 'patient', subtype: 'triple_negative', shown: true });
      await putStory(other, { subtype: 'hr_positive', findable: true });
      await putStory(seeker, { subtype: 'triple_negative', findable: true });

      const found = await members(seeker, 'subtype=triple_negative&limit=100');
      expect(names(found.items)).toEqual(expect.arrayContaining([open.username, quiet.username]));
      expect(names(found.items)).not.toContain(hidden.username);
      expect(names(found.items)).not.toContain(other.username);
      expect(names(found.items)).not.toContain(seeker.username);
      expect(found.items.find((c) => c.username === open.username)?.story).toEqual({
        role: 'patient',
        subtype: 'triple_negative',
        diagnosisYear: null,
        country: 'US',
      });
      expect(found.items.find((c) => c.username === quiet.username)?.story).toBeNull();
      expect(JSON.stringify(found)).not.toContain('@example.org');

      const inUs = await members(seeker, 'subtype=triple_negative&country=us&limit=100');
      expect(names(inUs.items)).toContain(open.username);
      expect(names(inUs.items)).not.toContain(quiet.username);
      // By country alone: only those who opted in and show their story.
      const anyUs = names((await members(seeker, 'country=US&limit=100')).items);
      expect(anyUs).toContain(open.username);
      expect(anyUs).not.toContain(quiet.username);
      expect(anyUs).not.toContain(hidden.username);
    });

    it('pages by keyset without repeats, and refuses a bad filter or cursor (400) and a guest (401)', async () => {
      const seeker = await createUser(a.t);
      const made: string[] = [];
      for (let i = 0; i < 3; i++) {
        const m = await createUser(a.t);
        await putStory(m, { subtype: 'other', findable: true }).expect(200);
        made.push(m.username);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await members(seeker, `subtype=other&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...names(page.items));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(made));
      const none = await a.t.http.get('/api/members').set(bearer(seeker.accessToken)).expect(400);
      expect(JSON.stringify(none.body.message)).toContain('subtype is needed, or a role or a country');
      await a.t.http.get('/api/members?subtype=luminal').set(bearer(seeker.accessToken)).expect(400);
      await a.t.http.get('/api/members?subtype=other&cursor=abc').set(bearer(seeker.accessToken)).expect(400);
      await a.t.http.get('/api/members?subtype=other').expect(401);
    });

    it('leaves out members who blocked her or whom she blocked, both ways, and sanctioned members', async () => {
      const seeker = await createUser(a.t);
      const blockedBySeeker = await createUser(a.t);
      const blocksSeeker = await createUser(a.t);
      const banned = await createUser(a.t);
      const fine = await createUser(a.t);
      for (const m of [seeker, blockedBySeeker, blocksSeeker, banned, fine]) {
        await putStory(m, { subtype: 'hr_positive', shown: true, findable: true }).expect(200);
      }
      await a.t.http.post(`/api/users/${blockedBySeeker.username}/block`).set(bearer(seeker.accessToken)).expect(204);
      await a.t.http.post(`/api/users/${seeker.username}/block`).set(bearer(blocksSeeker.accessToken)).expect(204);
      await a.t.http
        .post(`/api/moderation/users/${banned.username}/sanctions`)
        .set(bearer(a.mod.accessToken))
        .send({ kind: 'ban', reason: 'spam' })
        .expect(201);
      const found = names((await members(seeker, 'subtype=hr_positive&limit=100')).items);
      expect(found).toContain(fine.username);
      expect(found).not.toContain(blockedBySeeker.username);
      expect(found).not.toContain(blocksSeeker.username);
      expect(found).not.toContain(banned.username);
      // Both ways: the one she blocked does not find her either.
      const back = names((await members(blockedBySeeker, 'subtype=hr_positive&limit=100')).items);
      expect(back).not.toContain(seeker.username);
      expect(back).toContain(fine.username);
    });
  });

  describe('the profile page', () => {
    it('shows a shown story to members only, never to guests, nor across a block; her own to her always', async () => {
      const ann = await createUser(a.t);
      const reader = await createUser(a.t);
      const blocker = await createUser(a.t);
      await putStory(ann, { role: 'bereaved', country: 'FR', diagnosisYear: 2015 }).expect(200);
      const annBrowser = await signInBrowser(a.t, ann);
      const readerBrowser = await signInBrowser(a.t, reader);
      const profile = (cookie?: string) => {
        const req = a.t.http.get(`/u/${ann.username}`);
        return (cookie ? req.set('Cookie', cookie) : req).expect(200);
      };
      // Not shown yet: only she sees it.
      expect((await profile(annBrowser.cookie)).text).toContain('<h2 id="story-heading">Your story</h2>');
      expect((await profile(readerBrowser.cookie)).text).not.toContain('story-heading');

      await putStory(ann, { role: 'bereaved', country: 'FR', diagnosisYear: 2015, shown: true }).expect(200);
      const seen = await profile(readerBrowser.cookie);
      expect(seen.text).toContain('<h2 id="story-heading">Their story</h2>');
      expect(seen.text).toContain('<dd>Bereaved</dd>');
      expect(seen.text).toContain('<dd>France</dd>');
      expect(seen.text).toContain('<dd>2015</dd>');
      const guest = await profile();
      expect(guest.text).not.toContain('story-heading');
      expect(guest.text).not.toContain('France');

      await a.t.http.post(`/api/users/${reader.username}/block`).set(bearer(ann.accessToken)).expect(204);
      expect((await profile(readerBrowser.cookie)).text).not.toContain('story-heading');
      const blockerBrowser = await signInBrowser(a.t, blocker);
      expect((await profile(blockerBrowser.cookie)).text).toContain('story-heading');
      await a.t.http.post(`/api/users/${ann.username}/block`).set(bearer(blocker.accessToken)).expect(204);
      expect((await profile(blockerBrowser.cookie)).text).not.toContain('story-heading');
    });
  });

  describe('the pages /settings/story and /members', () => {
    it('writes her story in the settings, refuses a bad year with 422 by its label, and finds members', async () => {
      const ann = await createUser(a.t);
      const found = await createUser(a.t);
      await putStory(found, { role: 'carer', subtype: 'her2_positive', country: 'CA', shown: true, findable: true });
      const b = await signInBrowser(a.t, ann);
      const settings = await a.t.http.get('/settings').set('Cookie', b.cookie).expect(200);
      expect(settings.text).toContain('<a href="/settings/story">');
      const form = await a.t.http.get('/settings/story').set('Cookie', b.cookie).expect(200);
      expect(form.text).toContain('<h1>Your story</h1>');
      expect(form.text).toContain('<option value="triple_negative">Triple-negative</option>');

      const post = (fields: Record<string, string>) =>
        a.t.http
          .post('/settings/story')
          .set('Cookie', b.cookie)
          .type('form')
          .send({ _csrf: b.csrf, ...fields });
      const bad = await post({ role: 'patient', diagnosisYear: 'soon', subtype: '' }).expect(422);
      expect(bad.text).toContain('Year of diagnosis must be a year such as 2019');
      expect(bad.text).toMatch(/id="diagnosisYear"[^>]*aria-invalid="true"/);
      expect(bad.text).toMatch(/<option value="patient" selected>/);
      const saved = await post({ role: 'patient', subtype: 'her2_positive', diagnosisYear: '2020', findable: 'on' });
      expect(saved.status).toBe(303);
      const mine = await a.t.http.get('/api/me/story').set(bearer(ann.accessToken)).expect(200);
      expect(mine.body).toEqual({
        role: 'patient',
        subtype: 'her2_positive',
        diagnosisYear: 2020,
        country: null,
        shown: false,
        findable: true,
      });

      const page = await a.t.http.get('/members').set('Cookie', b.cookie).expect(200);
      expect(page.text).toContain('<h1>Find members</h1>');
      expect(page.text).not.toContain('results-heading');
      const results = await a.t.http.get('/members?subtype=her2_positive').set('Cookie', b.cookie).expect(200);
      expect(results.text).toContain(`<a href="/u/${found.username}">`);
      expect(results.text).toContain('<dd>Caring for someone</dd>');
      expect(results.text).toContain('<dd>Canada</dd>');
      expect(results.text).not.toContain(`<a href="/u/${ann.username}">`);
      await a.t.http.get('/members?subtype=luminal').set('Cookie', b.cookie).expect(422);
    });

    it('sends a guest to sign in, and never shows her the members', async () => {
      const res = await a.t.http.get('/members?subtype=her2_positive').expect(303);
      expect(res.headers.location).toMatch(/^\/signin\?next=/);
      expect((await a.t.http.get('/settings/story').expect(303)).headers.location).toMatch(/^\/signin/);
    });
  });

  describe('her data', () => {
    it('goes into her archive', async () => {
      const ann = await createUser(a.t);
      await putStory(ann, { role: 'patient', subtype: 'other', findable: true }).expect(200);
      await a.t.http.post('/api/me/export').set(bearer(ann.accessToken)).expect(202);
      await a.smtp.waitFor(ann.email, (m) => m.subject.includes('ready to download'));
      const file = await a.t.http.get('/api/me/export/file').set(bearer(ann.accessToken)).expect(200);
      const archive = JSON.parse(file.text) as { story: unknown[] };
      expect(archive.story).toEqual([
        expect.objectContaining({ role: 'patient', subtype: 'other', shown: false, findable: true }),
      ]);
    });

    it('goes with her account', async () => {
      const ann = await createUser(a.t);
      await putStory(ann, { subtype: 'other', findable: true }).expect(200);
      await a.t.http
        .delete('/api/me')
        .set(bearer(ann.accessToken))
        .send({ password: ann.password, content: 'delete' })
        .expect(202);
      advanceClock(a.t, 7 * 86_400 + 60);
      expect(await a.t.app.get(AccountDeletionService).sweep()).toBeGreaterThanOrEqual(1);
      const rows = (await a.t.db.query('SELECT 1 FROM member_stories WHERE user_id = $1', [ann.id])) as unknown[];
      expect(rows).toEqual([]);
      const seeker = await createUser(a.t);
      expect(names((await members(seeker, 'subtype=other&limit=100')).items)).not.toContain(ann.username);
    });
  });
});
