import { JournalDecryptError } from '../src/journal/journal-crypto';
import { JournalService } from '../src/journal/journal.service';
import { startTestApp, type TestApp } from './app';
import { bearer, createUser, type TestUser } from './factories/users';
import { signInBrowser } from './factories/web';

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

    it('takes today in her own time zone: a day ahead of UTC in Kiritimati, refused one day later', async () => {
      const ann = await createUser(t);
      await t.http.patch('/api/me').set(bearer(ann.accessToken)).send({ timeZone: 'Pacific/Kiritimati' }).expect(200);
      const hers = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
      const next = new Date(Date.parse(`${hers}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      await put(ann, hers, { symptoms: [{ name: 'sleep', grade: 1 }] }).expect(201);
      const refused = await put(ann, next, { symptoms: [{ name: 'sleep', grade: 1 }] }).expect(400);
      expect(JSON.stringify(refused.body.message)).toContain('date must not be after today (in your time zone)');
      // Her default period ends on her today.
      expect((await entries(ann)).map((d) => d.date)).toEqual([hers]);
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

  describe('settings', () => {
    it('starts empty, keeps what each PATCH gives, and refuses what is not a list, a number or a new symptom', async () => {
      const ann = await createUser(t);
      const get = async () =>
        (await t.http.get('/api/journal/settings').set(bearer(ann.accessToken)).expect(200)).body as unknown;
      expect(await get()).toEqual({
        careNumbers: [],
        ownSymptoms: [],
        medicines: [],
        reminder: { frequency: 'off', hour: 19, weekday: 1 },
      });
      const patch = (body: Record<string, unknown>) =>
        t.http.patch('/api/journal/settings').set(bearer(ann.accessToken)).send(body);
      await patch({ medicines: ['Letrozole', 'Letrozole', ' Denosumab '] }).expect(200);
      await patch({ careNumbers: [{ label: 'Breast care nurse', number: '+44 (0)20 7946 0018' }] }).expect(200);
      expect(await get()).toMatchObject({
        medicines: ['Letrozole', 'Denosumab'],
        careNumbers: [{ label: 'Breast care nurse', number: '+44 (0)20 7946 0018' }],
      });
      const refused = async (body: Record<string, unknown>, words: string) => {
        const res = await patch(body).expect(400);
        expect(JSON.stringify(res.body.message)).toContain(words);
      };
      await refused(
        { careNumbers: [{ label: 'Nurse', number: 'call me' }] },
        'careNumbers.0.number must be a phone number',
      );
      await refused({ careNumbers: [{ number: '0800 111' }] }, 'careNumbers.0.label must be a string');
      await refused({ ownSymptoms: ['Fatigue'] }, 'ownSymptoms[0] is already in the list of symptoms');
      await refused({ ownSymptoms: ['Poor sleep'] }, 'ownSymptoms[0] is already in the list of symptoms');
      await refused({ ownSymptoms: ['Itch', 'itch'] }, 'ownSymptoms must not name a symptom twice');
      await refused({ ownSymptoms: ['x'.repeat(41)] }, 'ownSymptoms must each be 1-40 characters');
      await refused({ medicines: 'Letrozole' }, 'medicines must be a list of names');
      expect(await get()).toMatchObject({ ownSymptoms: [], medicines: ['Letrozole', 'Denosumab'] });
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

    it('refuses a sealed day copied to another member or another date (its integrity check fails)', async () => {
      const ann = await createUser(t);
      const bob = await createUser(t);
      await put(ann, daysAgo(2), { symptoms: [{ name: 'pain', grade: 4 }], note: 'Copied words' }).expect(201);
      await t.db.query(
        `INSERT INTO journal_entries (user_id, day, payload, updated_at)
         SELECT $2, day, payload, updated_at FROM journal_entries WHERE user_id = $1 AND day = $3`,
        [ann.id, bob.id, daysAgo(2)],
      );
      await t.db.query(
        `INSERT INTO journal_entries (user_id, day, payload, updated_at)
         SELECT user_id, $3, payload, updated_at FROM journal_entries WHERE user_id = $1 AND day = $2`,
        [ann.id, daysAgo(2), daysAgo(3)],
      );
      const journal = t.app.get(JournalService);
      await expect(journal.entry(bob.id, daysAgo(2))).rejects.toThrow(JournalDecryptError);
      await expect(journal.entry(ann.id, daysAgo(3))).rejects.toThrow(JournalDecryptError);
      expect((await journal.entry(ann.id, daysAgo(2)))?.note).toBe('Copied words');
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

  describe('summary', () => {
    it('gives each symptom its daily series, worst days and change, with the time line marks and her questions', async () => {
      const ann = await createUser(t);
      const grades = [1, 1, 2, 1, 3, 4, 3, 2];
      for (const [i, grade] of grades.entries()) {
        await put(ann, daysAgo(7 - i), {
          symptoms: [
            { name: 'fatigue', grade },
            { name: 'pain', grade: 2, note: 'hip' },
          ],
          ...(i === 0 ? { appointment: 'Oncology review', medicines: ['Capecitabine'] } : {}),
          ...(i === 5 ? { temperatureC: 38.4, questions: 'Is the fever from the new tablets?' } : {}),
        }).expect(201);
      }
      const res = await t.http
        .get(`/api/journal/summary?from=${daysAgo(7)}&to=${daysAgo(0)}`)
        .set(bearer(ann.accessToken))
        .expect(200);
      const s = res.body as {
        from: string;
        to: string;
        days: number;
        symptoms: Array<{
          name: string;
          series: Array<{ date: string; grade: number }>;
          worstDays: Array<{ date: string; grade: number }>;
          firstHalfMean: number;
          secondHalfMean: number;
          change: string;
        }>;
        worstDays: Array<{ date: string; total: number }>;
        temperatures: unknown[];
        medicines: unknown[];
        appointments: unknown[];
        questions: unknown[];
        callDays: string[];
      };
      expect(s).toMatchObject({ from: daysAgo(7), to: daysAgo(0), days: 8 });
      const [fatigue, pain] = s.symptoms;
      expect(fatigue.name).toBe('fatigue');
      expect(fatigue.series).toEqual(grades.map((grade, i) => ({ date: daysAgo(7 - i), grade })));
      expect(fatigue.worstDays).toEqual([
        { date: daysAgo(2), grade: 4 },
        { date: daysAgo(1), grade: 3 },
        { date: daysAgo(3), grade: 3 },
      ]);
      expect(fatigue).toMatchObject({ firstHalfMean: 1.25, secondHalfMean: 3, change: 'worse' });
      expect(pain).toMatchObject({ name: 'pain', firstHalfMean: 2, secondHalfMean: 2, change: 'same' });
      expect(s.worstDays[0]).toEqual({ date: daysAgo(2), total: 6, severe: ['fatigue'] });
      expect(s.temperatures).toEqual([{ date: daysAgo(2), temperatureC: 38.4 }]);
      expect(s.medicines).toEqual([{ date: daysAgo(7), items: ['Capecitabine'] }]);
      expect(s.appointments).toEqual([{ date: daysAgo(7), text: 'Oncology review' }]);
      expect(s.questions).toEqual([{ date: daysAgo(2), text: 'Is the fever from the new tablets?' }]);
      expect(s.callDays).toEqual([daysAgo(2)]);

      // Since her last appointment: the period starts on it.
      const since = await t.http.get(`/api/journal/summary?since=appointment`).set(bearer(ann.accessToken)).expect(200);
      expect(since.body).toMatchObject({
        from: daysAgo(7),
        to: daysAgo(0),
        since: { date: daysAgo(7), text: 'Oncology review' },
      });
      const service = t.app.get(JournalService);
      expect(await service.lastAppointmentBefore(ann.id, daysAgo(7))).toBeNull();
      expect(await service.lastAppointmentBefore(ann.id, daysAgo(6))).toEqual({
        date: daysAgo(7),
        text: 'Oncology review',
      });
      const tooLong = await t.http
        .get(`/api/journal/summary?from=${daysAgo(800)}`)
        .set(bearer(ann.accessToken))
        .expect(400);
      expect(JSON.stringify(tooLong.body.message)).toContain('from must be at most 731 days before to');
      await t.http.get('/api/journal/summary?since=ever').set(bearer(ann.accessToken)).expect(400);
    });
  });

  describe('export.csv', () => {
    it('holds every day she wrote, and parses back to what she wrote', async () => {
      const ann = await createUser(t);
      await put(ann, daysAgo(400), {
        symptoms: [{ name: 'sleep', grade: 2 }],
        note: 'First day, "new" tablets',
      }).expect(201);
      await put(ann, daysAgo(1), {
        symptoms: [
          { name: 'pain', grade: 3, note: 'left hip, at night' },
          { name: 'low_mood', grade: 1 },
        ],
        temperatureC: 37.8,
        medicines: ['Letrozole', 'Paracetamol 1 g'],
        appointment: 'Bone scan',
        questions: '=Is this normal?',
      }).expect(201);
      const res = await t.http.get('/api/journal/export.csv').set(bearer(ann.accessToken)).expect(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).toMatch(
        /^attachment; filename="haven-journal-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      expect(res.headers['cache-control']).toBe('private, no-store');
      const [header, ...rows] = parseCsv(res.text);
      const records = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
      expect(header).toEqual([
        'date',
        'Pain',
        'Pain note',
        'Poor sleep',
        'Low mood',
        'temperature (°C)',
        'medicines',
        'appointment',
        'note',
        'questions',
      ]);
      expect(records).toEqual([
        {
          date: daysAgo(400),
          Pain: '',
          'Pain note': '',
          'Poor sleep': '2',
          'Low mood': '',
          'temperature (°C)': '',
          medicines: '',
          appointment: '',
          note: 'First day, "new" tablets',
          questions: '',
        },
        {
          date: daysAgo(1),
          Pain: '3',
          'Pain note': 'left hip, at night',
          'Poor sleep': '',
          'Low mood': '1',
          'temperature (°C)': '37.8',
          medicines: 'Letrozole; Paracetamol 1 g',
          appointment: 'Bone scan',
          note: '',
          questions: "'=Is this normal?",
        },
      ]);
      const other = await createUser(t);
      const theirs = await t.http.get('/api/journal/export.csv').set(bearer(other.accessToken)).expect(200);
      expect(parseCsv(theirs.text)).toHaveLength(1);
    });
  });

  describe('nobody else', () => {
    it('no staff route or page, nor search or a profile, shows a word of it to a moderator or an admin', async () => {
      const ann = await createUser(t);
      const mark = `quietmark${Date.now().toString(36)}`;
      await put(ann, daysAgo(0), {
        symptoms: [{ name: 'anxiety', grade: 4, note: `Where ${mark}` }],
        note: `Note ${mark}`,
        questions: `Question ${mark}`,
      }).expect(201);
      // Her words (the search page echoes the bare query, so look for what she wrote around it).
      const said = (text: string) =>
        [`Where ${mark}`, `Note ${mark}`, `Question ${mark}`].some((w) => text.includes(w));
      const admin = await createUser(t, { role: 'admin' });
      const mod = await createUser(t, { role: 'moderator' });
      const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, { parameters?: Array<{ in: string; required?: boolean }> }>>;
      };
      // The journal's paths are its own and nothing else's; no other path has it in its name.
      const journalPaths = Object.keys(doc.paths).filter((p) => p.includes('journal'));
      expect(journalPaths.every((p) => p.startsWith('/api/journal/'))).toBe(true);
      // Every GET route that needs no path parameter, as the admin and as the moderator: no word of hers.
      const gets = Object.entries(doc.paths)
        .filter(([path, ops]) => ops.get && !path.includes('{') && !path.startsWith('/api/journal/'))
        .map(([path]) => path);
      expect(gets.length).toBeGreaterThan(10);
      for (const staff of [admin, mod]) {
        for (const path of gets) {
          const res = await t.http.get(`${path}?q=${mark}`).set(bearer(staff.accessToken));
          expect([path, said(res.text)]).toEqual([path, false]);
        }
        const profile = await t.http.get(`/api/users/${ann.username}`).set(bearer(staff.accessToken));
        expect(said(profile.text)).toBe(false);
        // And her journal routes answer the staff member's own (empty) journal, never hers.
        expect(await entries(staff)).toEqual([]);
        const csv = await t.http.get('/api/journal/export.csv').set(bearer(staff.accessToken)).expect(200);
        expect(csv.text).not.toContain(mark);
      }
      const b = await signInBrowser(t, admin);
      for (const page of [
        '/mod',
        '/mod/audit',
        '/mod/sanctions',
        '/admin/mail',
        `/u/${ann.username}`,
        `/search?q=${mark}`,
      ]) {
        const res = await t.http.get(page).set('Cookie', b.cookie);
        expect([page, res.status < 500, said(res.text)]).toEqual([page, true, false]);
      }
    });
  });
});

/** RFC 4180, enough for the export: quoted cells with doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}
