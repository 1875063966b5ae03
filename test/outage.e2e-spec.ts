import { createServer, Socket, type Server } from 'node:net';
import { startTestApp, type TestApp } from './app';
import { eventually } from './support/eventually';

/**
 * A real outage: the app reaches PostgreSQL through a TCP relay that the test cuts and restores, so health and
 * requests see exactly what a lost database looks like.
 */
class Relay {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(port = 0): Promise<void> {
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
  }

  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

describe('Database outage (e2e)', () => {
  let t: TestApp;
  let relay: Relay;

  beforeAll(async () => {
    const db = new URL(process.env.DATABASE_URL!);
    relay = new Relay({ host: db.hostname, port: Number(db.port || 5432) });
    await relay.open();
    db.hostname = '127.0.0.1';
    db.port = String(relay.port);
    t = await startTestApp({ DATABASE_URL: db.toString() });
  });
  afterAll(async () => {
    await relay.cut();
    await t.close();
  });

  it('answers 503 with Retry-After while the database is away, and recovers', async () => {
    await t.http.get('/api/health').expect(200);
    await relay.cut();

    const health = await t.http.get('/api/health').expect(503);
    expect(health.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    expect(health.headers['retry-after']).toBeDefined();

    const profile = await t.http.get('/api/users/someone_at_all').expect(503);
    expect(profile.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.any(String) });
    expect(profile.headers['retry-after']).toBeDefined();
    expect(JSON.stringify(profile.body)).not.toMatch(/ECONN|stack|at /);

    await relay.open(relay.port);
    // The pool reconnects on its own: poll until health answers again.
    await eventually(async () => expect((await t.http.get('/api/health')).status).toBe(200));
  });
});
