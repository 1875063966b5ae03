import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { JournalService } from '../src/journal/journal.service';
import { startTestApp, TEST_ENV, type TestApp } from './app';
import { bearer, createUser } from './factories/users';
import { type ChildServer, startChildServer } from './support/child-server';
import { eventually } from './support/eventually';

/**
 * Her journal never enters the logs: a server logging every request (LOG_LEVEL=debug) is sent her days, a bad
 * day, a share link and its view, and its whole output is searched for her words, the link's token and her days.
 */
describe(`${JournalService.name} and the logs`, () => {
  let t: TestApp;
  let server: ChildServer;
  let output = '';
  beforeAll(async () => {
    t = await startTestApp();
    server = await startChildServer({
      ...TEST_ENV,
      LOG_LEVEL: 'debug',
      DATABASE_URL: process.env.DATABASE_URL,
      JOBS_QUEUE_PREFIX: `t${randomBytes(4).toString('hex')}-`,
      REDIS_PREFIX: `haven:test:${randomBytes(3).toString('hex')}:`,
    });
    server.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // A second process compiles the server with ts-node first: minutes, not seconds, on a busy shared machine.
  }, 240_000);
  afterAll(async () => {
    await server?.kill();
    await t?.close();
  });

  it('logs each request by its path with the journal parts masked, and nothing she wrote', async () => {
    const http = request(`http://127.0.0.1:${server.port}`);
    const ann = await createUser(t);
    const mark = `logmark${randomBytes(4).toString('hex')}`;
    const day = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const as = bearer(ann.accessToken);
    await http
      .put(`/api/journal/entries/${day}`)
      .set(as)
      .send({ symptoms: [{ name: 'pain', grade: 2, note: `hip ${mark}` }], note: `note ${mark}`, temperatureC: 37.7 })
      .expect(201);
    await http
      .put(`/api/journal/entries/${day}`)
      .set(as)
      .send({ symptoms: [{ name: `unknown ${mark}`, grade: 9 }], note: mark.repeat(300) })
      .expect(400);
    await http.get(`/api/journal/entries/${day}`).set(as).expect(200);
    await http.get(`/api/journal/entries?from=${day}&to=${day}`).set(as).expect(200);
    const share = await http
      .post('/api/journal/shares')
      .set(as)
      .send({ from: day, to: day, expiresInDays: 1 })
      .expect(201);
    const token = (share.body as { token: string }).token;
    await http.get(`/api/journal/shared/${token}`).expect(200);
    await http.get('/api/journal/summary').set(as).expect(200);
    // The sentinel: once its line is out, every earlier request's line is too.
    await http.get('/api/journal/settings').set(as).expect(200);
    await eventually(() => expect(output).toContain('"url":"/api/journal/settings"'));

    expect(output).toContain('"url":"/api/journal/shared/…"');
    expect(output).toContain('"url":"/api/journal/entries/…"');
    expect(output).toContain('"url":"/api/journal/entries?from=…&to=…"');
    for (const secret of [mark, token, day, '37.7', ann.accessToken]) {
      expect([secret, output.includes(secret)]).toEqual([secret, false]);
    }
  });
});
