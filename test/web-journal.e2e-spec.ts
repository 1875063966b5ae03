import { SummaryPdfController } from '../src/journal/render/summary-pdf.controller';
import { JournalPagesController } from '../src/web/journal/journal-pages.controller';
import { startTestApp, type TestApp } from './app';
import { bearer, createUser, type TestUser } from './factories/users';
import { type BrowserSession, signInBrowser } from './factories/web';
import { pdfText } from './support/pdf-text';

/** Days counted back from today in UTC (the members here set no time zone). */
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const pdfBody = (res: { body: unknown }) => res.body as Buffer;
/** supertest's parser for a binary answer: the body as one Buffer. */
const binary = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};

/** "Prepare for my appointment" as a PDF (issue 15): hers alone, since her last appointment by default. */
describe(SummaryPdfController.name, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const put = (user: TestUser, date: string, entry: Record<string, unknown>) =>
    t.http.put(`/api/journal/entries/${date}`).set(bearer(user.accessToken)).send(entry).expect(201);
  const pdf = (user: TestUser, query = '') =>
    t.http.get(`/api/journal/summary.pdf${query}`).set(bearer(user.accessToken)).buffer(true).parse(binary);

  it('answers her PDF of the days since her last appointment: what changed, worst days, questions, medicines, temperatures', async () => {
    const ann = await createUser(t);
    await put(ann, daysAgo(20), { symptoms: [{ name: 'fatigue', grade: 4 }], questions: 'An old question' });
    await put(ann, daysAgo(10), { symptoms: [{ name: 'fatigue', grade: 1 }], appointment: 'Oncology clinic' });
    await put(ann, daysAgo(8), { symptoms: [{ name: 'fatigue', grade: 1 }], medicines: ['Capecitabine'] });
    await put(ann, daysAgo(2), {
      symptoms: [{ name: 'fatigue', grade: 3 }],
      temperatureC: 38.4,
      medicines: ['Capecitabine'],
      questions: 'Could the tiredness be the new dose?',
    });

    const res = await pdf(ann).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="haven-appointment-${daysAgo(10)}-to-${daysAgo(0)}.pdf"`,
    );
    const text = pdfText(pdfBody(res)).join('\n');
    expect(text).toContain('Prepare for my appointment');
    expect(text).toContain('Fatigue: worse in the second half of the period');
    expect(text).toContain('Could the tiredness be the new dose?');
    expect(text).not.toContain('An old question');
    expect(text).toContain('Capecitabine: 2 days');
    expect(text).toContain('38.4 °C (38 °C or more)');

    // a period she chose
    const chosen = await pdf(ann, `?from=${daysAgo(25)}&to=${daysAgo(15)}`).expect(200);
    const older = pdfText(pdfBody(chosen)).join('\n');
    expect(older).toContain('An old question');
    expect(older).not.toContain('Capecitabine');
  });

  it('is hers alone: 401 to a guest, another member reads only her own (empty) journal', async () => {
    const ann = await createUser(t);
    const bob = await createUser(t);
    await put(ann, daysAgo(1), { symptoms: [{ name: 'pain', grade: 2 }], questions: 'Ann asks this' });
    await t.http.get('/api/journal/summary.pdf').expect(401);
    const bobs = pdfText(pdfBody(await pdf(bob).expect(200))).join('\n');
    expect(bobs).not.toContain('Ann asks this');
    expect(bobs).toContain('0 days written in the journal');
  });

  it('refuses a period that is not one, naming the field (400)', async () => {
    const ann = await createUser(t);
    const bad = await t.http.get('/api/journal/summary.pdf?from=2026-13-45').set(bearer(ann.accessToken)).expect(400);
    expect(JSON.stringify(bad.body)).toContain('from');
    const reversed = await t.http
      .get(`/api/journal/summary.pdf?from=${daysAgo(1)}&to=${daysAgo(5)}`)
      .set(bearer(ann.accessToken))
      .expect(400);
    expect(JSON.stringify(reversed.body)).toContain('from must not be after to');
  });
});

/** The journal's pages: a day by form without script, the call panel, charts, the appointment page, share links. */
describe(JournalPagesController.name, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const member = async (): Promise<{ user: TestUser; browser: BrowserSession }> => {
    const user = await createUser(t);
    return { user, browser: await signInBrowser(t, user) };
  };
  const get = (b: BrowserSession, path: string) => t.http.get(path).set('Cookie', b.cookie);
  const post = (b: BrowserSession, path: string, form: Record<string, string | string[]>) =>
    t.http
      .post(path)
      .set('Cookie', b.cookie)
      .type('form')
      .send(
        new URLSearchParams(
          Object.entries({ ...form, _csrf: b.csrf }).flatMap(([k, v]) =>
            (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x]),
          ),
        ).toString(),
      );

  it("sends a guest to sign in, and shows a member today's form first: five grades a symptom, no script", async () => {
    const guest = await t.http.get('/journal');
    expect(guest.status).toBe(303);
    expect(guest.headers.location).toMatch(/^\/signin\?next=%2Fjournal/);
    const { browser } = await member();
    const page = await get(browser, '/journal').expect(200);
    expect(page.text).toContain('<meta name="robots" content="noindex">');
    expect(page.text).toContain('How are you today?');
    expect(page.text.match(/name="grade:fatigue"/g)).toHaveLength(5);
    expect(page.text).toContain('<label for="g-0-4">Very severe</label>');
    expect(page.text).toContain('name="note:pain"');
    expect(page.text).not.toContain('<script');
  });

  it('saves a day from the form and shows it again; a bad temperature is refused with the field named', async () => {
    const { browser } = await member();
    const date = daysAgo(1);
    const saved = await post(browser, `/journal/days/${date}`, {
      'grade:fatigue': '2',
      'grade:pain': '1',
      'note:pain': 'lower back',
      temperatureC: '37,2',
      otherMedicines: 'Capecitabine\nParacetamol',
      questions: 'Should I rest more?',
    }).expect(303);
    expect(saved.headers.location).toBe(`/journal/days/${date}`);
    const day = await get(browser, `/journal/days/${date}`).expect(200);
    expect(day.text).toMatch(/id="g-0-2" name="grade:fatigue" value="2" checked/);
    expect(day.text).toContain('value="lower back"');
    expect(day.text).toContain('value="37.2"');
    expect(day.text).toContain('Should I rest more?');
    expect(day.text).toContain('Remove this day');

    const refused = await post(browser, `/journal/days/${date}`, { 'grade:fatigue': '2', temperatureC: 'warm' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('There is a problem');
    expect(refused.text).toContain('href="#temperatureC">Temperature must be');
    expect(refused.text).toMatch(/id="g-0-2" name="grade:fatigue" value="2" checked/);

    const opened = await get(browser, `/journal/day?date=${date}`).expect(303);
    expect(opened.headers.location).toBe(`/journal/days/${date}`);
    expect((await get(browser, '/journal/day?date=2026-02-30')).status).toBe(400);

    const removed = await post(browser, `/journal/days/${date}/delete`, {}).expect(303);
    expect(removed.headers.location).toBe('/journal');
    expect((await get(browser, `/journal/days/${date}`).expect(200)).text).not.toContain('Remove this day');
  });

  it('after a fever, calmly asks her to call now, with the numbers she saved', async () => {
    const { browser } = await member();
    await post(browser, '/journal/settings', {
      careLabel0: 'Acute oncology line',
      careNumber0: '+44 20 7946 0000',
      ownSymptoms: 'mouth sores',
      medicines: 'Capecitabine',
      frequency: 'off',
    }).expect(303);
    const form = await get(browser, '/journal').expect(200);
    expect(form.text).toContain('name="grade:mouth sores"');
    expect(form.text).toContain('name="medicines" value="Capecitabine"');
    const call = await post(browser, `/journal/days/${daysAgo(0)}`, { temperatureC: '38.5' }).expect(200);
    expect(call.text).toContain('Please call your care team or acute oncology line now');
    expect(call.text).toContain('href="tel:+442079460000"');
    const calm = await post(browser, `/journal/days/${daysAgo(0)}`, { temperatureC: '37.0' }).expect(303);
    expect(calm.headers.location).toBe(`/journal/days/${daysAgo(0)}`);
  });

  it('draws her charts as SVG with a text alternative and a table, and refuses an unknown range', async () => {
    const { user, browser } = await member();
    for (let i = 0; i < 5; i++) {
      await t.http
        .put(`/api/journal/entries/${daysAgo(i)}`)
        .set(bearer(user.accessToken))
        .send({ symptoms: [{ name: 'fatigue', grade: i % 5 }], medicines: i === 2 ? ['Capecitabine'] : undefined })
        .expect(201);
    }
    for (const range of ['2w', '3m', '1y']) {
      const page = await get(browser, `/journal/charts?range=${range}`).expect(200);
      expect(page.text).toMatch(/<svg[^>]* role="img"/);
      expect(page.text).toContain('<title id="journal-chart-0-title">Fatigue,');
      expect(page.text).toContain('Fatigue day by day, as a table');
    }
    const bad = await get(browser, '/journal/charts?range=forever');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('range must be 2w, 3m or 1y');
  });

  it('prepares her appointment page with PDF and CSV downloads of her own days', async () => {
    const { user, browser } = await member();
    await t.http
      .put(`/api/journal/entries/${daysAgo(3)}`)
      .set(bearer(user.accessToken))
      .send({ symptoms: [{ name: 'nausea', grade: 2 }], questions: 'Is the new anti-sickness tablet safe?' })
      .expect(201);
    const page = await get(browser, '/journal/appointment').expect(200);
    expect(page.text).toContain('Is the new anti-sickness tablet safe?');
    const pdfHref = /href="(\/journal\/appointment\.pdf\?[^"]+)"/.exec(page.text)?.[1].replace(/&amp;/g, '&');
    expect(pdfHref).toBeDefined();
    const pdf = await get(browser, pdfHref as string)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdfText(pdfBody(pdf)).join('\n')).toContain('Is the new anti-sickness tablet safe?');
    const csv = await get(browser, '/journal/export.csv').expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toContain('Is the new anti-sickness tablet safe?');
  });

  it('makes a share link for a period, shows it to anyone with it (noindex), lists its views and stops it', async () => {
    const { user, browser } = await member();
    await t.http
      .put(`/api/journal/entries/${daysAgo(1)}`)
      .set(bearer(user.accessToken))
      .send({ symptoms: [{ name: 'anxiety', grade: 3 }], note: 'A hard day' })
      .expect(201);
    const made = await post(browser, '/journal/shares', { from: daysAgo(6), to: daysAgo(0), expiresInDays: '7' });
    expect(made.status).toBe(200);
    const url = /id="share-url" value="([^"]+)"/.exec(made.text)?.[1] as string;
    expect(url).toMatch(/\/journal\/shared\/[\w-]+$/);
    const path = new URL(url).pathname;

    const shared = await t.http.get(path).expect(200);
    expect(shared.text).toContain('<meta name="robots" content="noindex">');
    expect(shared.text).toMatch(/<h1>.+'s symptom journal<\/h1>/);
    expect(shared.text).toContain('A hard day');
    expect(shared.text).toMatch(/<svg[^>]* role="img"/);
    expect(shared.text).not.toContain('href="/journal/');

    const list = await get(browser, '/journal/shares').expect(200);
    expect(list.text).toContain('Opened 1 time.');
    const id = /action="\/journal\/shares\/([^/]+)\/revoke"/.exec(list.text)?.[1] as string;
    await post(browser, `/journal/shares/${id}/revoke`, {}).expect(303);
    expect((await t.http.get(path)).status).toBe(410);

    const refused = await post(browser, '/journal/shares', { from: daysAgo(0), to: daysAgo(3), expiresInDays: '99' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('href="#share-days"');
  });
});
