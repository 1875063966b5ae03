import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { MailOutbox } from '../src/mail/outbox';
import { startTestApp, TEST_ENV, type TestApp } from './app';
import { startChildServer, type ChildServer } from './support/child-server';
import { eventually } from './support/eventually';
import { startSmtp, type TestSmtp } from './support/smtp';

/** An SMTP address that takes the connection and never answers: a send through it hangs until its timeout. */
async function blackHole(): Promise<{ port: number; connections: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as { port: number }).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('Mail: a server killed (SIGKILL) while sending (e2e)', () => {
  let queuer: TestApp | undefined;
  let child: ChildServer | undefined;
  let successor: TestApp | undefined;
  let smtp: TestSmtp | undefined;
  let hole: Awaited<ReturnType<typeof blackHole>> | undefined;

  afterAll(async () => {
    await child?.kill();
    await Promise.all([queuer?.close(), successor?.close()]);
    await Promise.all([smtp?.close(), hole?.close()]);
  });

  it('sends the mail once, from another process, after the one that held it died', async () => {
    const queue = `crash${randomBytes(4).toString('hex')}-`;
    const timing = { MAIL_SEND_TIMEOUT_SECONDS: '8', JOBS_MAINTENANCE_SECONDS: '1' };
    hole = await blackHole();
    // The process that will die: it works the queue and sends into the black hole.
    child = await startChildServer({
      ...TEST_ENV,
      ...timing,
      DATABASE_URL: process.env.DATABASE_URL,
      JOBS_QUEUE_PREFIX: queue,
      SMTP_URL: `smtp://127.0.0.1:${hole.port}`,
    });
    // The mail is queued by a process that only queues (as a web process beside worker processes).
    queuer = await startTestApp({ ...timing, JOBS_QUEUE_PREFIX: queue, JOBS_WORK: 'off' });
    const to = `survivor-${randomBytes(4).toString('hex')}@example.org`;
    const key = `crash:${randomBytes(6).toString('hex')}`;
    await queuer.db.transaction((m) =>
      queuer!.app
        .get(MailOutbox)
        .queue(m, { key, to, kind: 'account', content: { subject: 'Still here', paragraphs: ['Nothing was lost.'] } }),
    );
    const statusOf = async () =>
      (
        (await queuer!.db.query(`SELECT status FROM mail_messages WHERE key = $1`, [key])) as Array<{ status: string }>
      )[0]?.status;
    // The doomed process has taken the mail and is waiting on SMTP: kill it there.
    await eventually(async () => {
      expect(await statusOf()).toBe('sending');
      expect(hole!.connections).toBeGreaterThanOrEqual(1);
    });
    await child.kill();
    child = undefined;

    // Another process, with a working SMTP server, picks the mail up once the dead one's claim lapses.
    smtp = await startSmtp();
    successor = await startTestApp({ ...timing, JOBS_QUEUE_PREFIX: queue, SMTP_URL: smtp.url });
    const got = await smtp.waitFor(to, undefined, { timeoutMs: 60_000 });
    expect(got.subject).toBe('Still here');
    await eventually(async () => expect(await statusOf()).toBe('sent'));
    expect(smtp.to(to)).toHaveLength(1);
  });
});
