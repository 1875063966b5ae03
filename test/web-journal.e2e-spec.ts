import { SummaryPdfController } from '../src/journal/render/summary-pdf.controller';
import { startTestApp, type TestApp } from './app';
import { bearer, createUser, type TestUser } from './factories/users';
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
