import { JournalService } from '../src/journal/journal.service';
import { startTestApp, type TestApp } from './app';
import { bearer, createUser, type TestUser } from './factories/users';

type Entry = {
  date: string;
  symptoms: Array<{ name: string; label: string; grade: number; note: string | null }>;
  temperatureC: number | null;
  medicines: string[];
  appointment: string | null;
  note: string | null;
  questions: string | null;
};

/** Days counted back from today in UTC (the members here set no time zone). */
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

/** The private symptom journal (issue 15): her days, her grades, and what she is told when to call. */
describe(JournalService.name, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const put = (user: TestUser, date: string, entry: Record<string, unknown>) =>
    t.http.put(`/api/journal/entries/${date}`).set(bearer(user.accessToken)).send(entry);
  const entries = async (user: TestUser, query = '') =>
    (await t.http.get(`/api/journal/entries${query}`).set(bearer(user.accessToken)).expect(200)).body as Entry[];

  describe('entries', () => {
    it('writes a day (201), replaces it (200), lists her days newest first and removes one (204)', async () => {
      const ann = await createUser(t);
      const first = await put(ann, daysAgo(1), {
        symptoms: [
          { name: 'fatigue', grade: 2 },
          { name: 'pain', grade: 1, note: 'lower back' },
        ],
        temperatureC: 37.24,
        medicines: ['Capecitabine 500 mg', ' Ondansetron '],
        appointment: 'Oncology clinic',
        note: 'Tired after the walk',
        questions: 'Can I take ibuprofen?',
      }).expect(201);
      expect(first.body).toMatchObject({ created: true, callCareTeam: false, careNumbers: [] });
      expect((first.body as { entry: Entry }).entry).toMatchObject({
        date: daysAgo(1),
        symptoms: [
          { name: 'fatigue', label: 'Fatigue', grade: 2, note: null },
          { name: 'pain', label: 'Pain', grade: 1, note: 'lower back' },
        ],
        temperatureC: 37.2,
        medicines: ['Capecitabine 500 mg', 'Ondansetron'],
        appointment: 'Oncology clinic',
        note: 'Tired after the walk',
        questions: 'Can I take ibuprofen?',
      });
      await put(ann, daysAgo(0), { symptoms: [{ name: 'nausea', grade: 0 }] }).expect(201);
      const replaced = await put(ann, daysAgo(1), { symptoms: [{ name: 'fatigue', grade: 3 }] }).expect(200);
      expect(replaced.body).toMatchObject({ created: false });

      const days = await entries(ann);
      expect(days.map((d) => d.date)).toEqual([daysAgo(0), daysAgo(1)]);
      // PUT replaces the day: what she left out is no longer said.
      expect(days[1]).toMatchObject({
        temperatureC: null,
        medicines: [],
        appointment: null,
        note: null,
        questions: null,
      });
      const one = await t.http
        .get(`/api/journal/entries/${daysAgo(1)}`)
        .set(bearer(ann.accessToken))
        .expect(200);
      expect((one.body as Entry).symptoms).toEqual([{ name: 'fatigue', label: 'Fatigue', grade: 3, note: null }]);

      await t.http
        .delete(`/api/journal/entries/${daysAgo(1)}`)
        .set(bearer(ann.accessToken))
        .expect(204);
      expect((await entries(ann)).map((d) => d.date)).toEqual([daysAgo(0)]);
      await t.http
        .get(`/api/journal/entries/${daysAgo(1)}`)
        .set(bearer(ann.accessToken))
        .expect(404);
      await t.http
        .delete(`/api/journal/entries/${daysAgo(1)}`)
        .set(bearer(ann.accessToken))
        .expect(404);
    });

    it('reads the period asked for, two weeks by default', async () => {
      const ann = await createUser(t);
      for (const n of [0, 13, 14, 40])
        await put(ann, daysAgo(n), { symptoms: [{ name: 'sleep', grade: 1 }] }).expect(201);
      expect((await entries(ann)).map((d) => d.date)).toEqual([daysAgo(0), daysAgo(13)]);
      expect((await entries(ann, `?from=${daysAgo(50)}&to=${daysAgo(14)}`)).map((d) => d.date)).toEqual([
        daysAgo(14),
        daysAgo(40),
      ]);
    });

    it('refuses bad grades, unknown symptoms, odd temperatures and days to come (400 naming the field)', async () => {
      const ann = await createUser(t);
      const refused = async (date: string, entry: Record<string, unknown>, words: string) => {
        const res = await put(ann, date, entry).expect(400);
        expect(JSON.stringify(res.body.message)).toContain(words);
      };
      const today = daysAgo(0);
      await refused(today, { symptoms: [{ name: 'fatigue', grade: 5 }] }, 'symptoms.0.grade must be a whole number');
      await refused(today, { symptoms: [{ name: 'fatigue', grade: 1.5 }] }, 'grade must be a whole number');
      await refused(today, { symptoms: [{ name: 'fatigue', grade: -1 }] }, 'grade must be a whole number');
      await refused(today, { symptoms: [{ name: 'fatigue', grade: '2' }] }, 'grade must be a whole number');
      await refused(today, { symptoms: [{ name: 'hiccups', grade: 1 }] }, 'symptoms[0].name must be a symptom');
      await refused(
        today,
        {
          symptoms: [
            { name: 'fatigue', grade: 1 },
            { name: 'fatigue', grade: 2 },
          ],
        },
        'symptoms[1].name is listed twice',
      );
      await refused(today, { symptoms: [], temperatureC: 45 }, 'temperatureC must be from 34 to 43');
      await refused(today, { symptoms: [], temperatureC: 33.9 }, 'temperatureC must be from 34 to 43');
      await refused(today, { symptoms: [], temperatureC: '38' }, 'temperatureC must be a temperature');
      await refused(today, { symptoms: [], note: 'x'.repeat(2001) }, 'note must be 0-2000 characters');
      await refused(today, { symptoms: [], medicines: ['x'.repeat(81)] }, 'medicines must each be 1-80');
      await refused(today, { symptoms: [], colour: 'blue' }, 'property colour should not exist');
      await refused(today, {}, 'symptoms must be a list');
      await refused(daysAgo(-2), { symptoms: [] }, 'date must not be after today');
      await refused('2026-02-30', { symptoms: [] }, 'date must be a day written YYYY-MM-DD');
      await refused('yesterday', { symptoms: [] }, 'date must be a day written YYYY-MM-DD');
      const range = await t.http
        .get(`/api/journal/entries?from=${daysAgo(0)}&to=${daysAgo(3)}`)
        .set(bearer(ann.accessToken))
        .expect(400);
      expect(JSON.stringify(range.body.message)).toContain('from must not be after to');
      expect(await entries(ann)).toEqual([]);
    });

    it('takes her own symptoms once she added them in her settings', async () => {
      const ann = await createUser(t);
      await put(ann, daysAgo(0), { symptoms: [{ name: 'Mouth sores', grade: 2 }] }).expect(400);
      await t.http
        .patch('/api/journal/settings')
        .set(bearer(ann.accessToken))
        .send({ ownSymptoms: ['Mouth sores'] })
        .expect(200);
      const res = await put(ann, daysAgo(0), { symptoms: [{ name: 'mouth sores', grade: 2 }] }).expect(201);
      expect((res.body as { entry: Entry }).entry.symptoms).toEqual([
        { name: 'Mouth sores', label: 'Mouth sores', grade: 2, note: null },
      ]);
    });
  });

  describe('when to call', () => {
    it('answers callCareTeam with her saved numbers for a fever or severe breathlessness, and not otherwise', async () => {
      const ann = await createUser(t);
      const numbers = [{ label: 'Acute oncology line', number: '+44 20 7946 0000' }];
      await t.http
        .patch('/api/journal/settings')
        .set(bearer(ann.accessToken))
        .send({ careNumbers: numbers })
        .expect(200);
      const calm = await put(ann, daysAgo(3), { symptoms: [{ name: 'breathlessness', grade: 2 }], temperatureC: 37.9 });
      expect(calm.body).toMatchObject({ callCareTeam: false, careNumbers: [] });
      const fever = await put(ann, daysAgo(2), { symptoms: [{ name: 'fatigue', grade: 1 }], temperatureC: 38 });
      expect(fever.body).toMatchObject({ callCareTeam: true, careNumbers: numbers });
      expect((fever.body as { callReasons: string[] }).callReasons).toEqual(['A temperature of 38 °C']);
      const breathless = await put(ann, daysAgo(1), { symptoms: [{ name: 'breathlessness', grade: 3 }] });
      expect(breathless.body).toMatchObject({ callCareTeam: true, callReasons: ['Breathlessness: severe'] });
    });
  });

  describe('who may read it', () => {
    it('refuses guests on every route (401)', async () => {
      const day = daysAgo(0);
      await t.http.get('/api/journal/entries').expect(401);
      await t.http.get(`/api/journal/entries/${day}`).expect(401);
      await t.http.put(`/api/journal/entries/${day}`).send({ symptoms: [] }).expect(401);
      await t.http.delete(`/api/journal/entries/${day}`).expect(401);
      await t.http.get('/api/journal/summary').expect(401);
      await t.http.get('/api/journal/export.csv').expect(401);
      await t.http.get('/api/journal/settings').expect(401);
      await t.http.patch('/api/journal/settings').send({}).expect(401);
      await t.http.post('/api/journal/shares').send({}).expect(401);
      await t.http.get('/api/journal/shares').expect(401);
      await t.http.delete('/api/journal/shares/1').expect(401);
    });

    it('keeps every member to her own days: another member, a moderator or an admin sees none of them', async () => {
      const ann = await createUser(t);
      const mod = await createUser(t, { role: 'moderator' });
      const admin = await createUser(t, { role: 'admin' });
      await put(ann, daysAgo(0), { symptoms: [{ name: 'anxiety', grade: 3 }], note: 'Scan results on Friday' }).expect(
        201,
      );
      for (const other of [await createUser(t), mod, admin]) {
        expect(await entries(other)).toEqual([]);
        await t.http
          .get(`/api/journal/entries/${daysAgo(0)}`)
          .set(bearer(other.accessToken))
          .expect(404);
        await t.http
          .delete(`/api/journal/entries/${daysAgo(0)}`)
          .set(bearer(other.accessToken))
          .expect(404);
      }
      expect((await entries(ann)).map((d) => d.note)).toEqual(['Scan results on Friday']);
    });

    it('holds no symptom, grade or word of hers in clear in the database', async () => {
      const ann = await createUser(t);
      await t.http
        .patch('/api/journal/settings')
        .set(bearer(ann.accessToken))
        .send({ careNumbers: [{ label: 'Chemo day unit', number: '01632 960123' }], medicines: ['Letrozole'] })
        .expect(200);
      await put(ann, daysAgo(0), {
        symptoms: [{ name: 'hot_flushes', grade: 4, note: 'nightly' }],
        temperatureC: 36.6,
        medicines: ['Letrozole'],
        note: 'Marigold tea helped',
        questions: 'Should I stop the patches?',
      }).expect(201);
      const rows = (await t.db.query(
        `SELECT e.*, e.payload::text AS hex FROM journal_entries e WHERE user_id = $1
         UNION ALL SELECT s.user_id, NULL, s.payload, s.updated_at, s.payload::text FROM journal_settings s WHERE user_id = $1`,
        [ann.id],
      )) as Array<{ payload: Buffer; hex: string }>;
      expect(rows).toHaveLength(2);
      const dump = rows.map(
        (r) => `${r.payload.toString('latin1')} ${r.payload.toString('utf8')} ${JSON.stringify(r)}`,
      );
      for (const word of [
        'hot_flushes',
        'nightly',
        '36.6',
        'Letrozole',
        'Marigold',
        'patches',
        'grade',
        '960123',
        'Chemo',
      ]) {
        expect(dump.join('\n')).not.toContain(word);
      }
    });
  });
});
