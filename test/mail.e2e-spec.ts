import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { MailOutbox, type OutgoingMail } from '../src/mail/outbox';
import { UnsubscribeLinks } from '../src/mail/unsubscribe';
import { startTestApp, type TestApp } from './app';
import { eventually } from './support/eventually';
import { startSmtp, type TestSmtp } from './support/smtp';

const address = (name = 'reader') => `${name}-${randomBytes(4).toString('hex')}@example.org`;

function mail(to: string, overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    key: `test:${randomBytes(8).toString('hex')}`,
    to,
    kind: 'account',
    content: {
      subject: 'Confirm your address',
      greeting: 'Hello Anna,',
      paragraphs: ['Please confirm this address & stay in touch.'],
      action: { label: 'Confirm my address', url: 'http://haven.test/confirm?token=abc&x=1' },
      after: ['If you did not ask for this, you can ignore this mail.'],
    },
    ...overrides,
  };
}

/** Queues a mail in a transaction of its own, as a feature does in the transaction of its change. */
const queue = (t: TestApp, m: OutgoingMail) => t.db.transaction((manager) => t.app.get(MailOutbox).queue(manager, m));

const statusOf = async (t: TestApp, key: string) =>
  (
    (await t.db.query(`SELECT status, attempts, last_error FROM mail_messages WHERE key = $1`, [key])) as Array<{
      status: string;
      attempts: number;
      last_error: string | null;
    }>
  )[0];

describe('Mail: the outbox and its worker, against a real SMTP server (e2e)', () => {
  let smtp: TestSmtp;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Haven <no-reply@haven.test>' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('sends a queued mail once, with text and HTML parts drawn from one content, and keeps no body after', async () => {
    const to = address();
    const m = mail(to);
    expect(await queue(t, m)).toBe('queued');
    const got = await smtp.waitFor(to);
    expect(got.subject).toBe('Confirm your address');
    expect(got.from).toContain('no-reply@haven.test');
    expect(got.text).toContain('Hello Anna,');
    expect(got.text).toContain('Please confirm this address & stay in touch.');
    expect(got.links).toContain('http://haven.test/confirm?token=abc&x=1');
    expect(got.html).toContain('Please confirm this address &amp; stay in touch.');
    expect(got.html).toContain('href="http://haven.test/confirm?token=abc&amp;x=1"');
    expect(got.messageId).toMatch(/^<[0-9a-f]{32}@haven\.test>$/);
    // A direct answer to the member's own action carries no unsubscribe.
    expect(got.header['list-unsubscribe']).toBeUndefined();
    await eventually(async () => expect((await statusOf(t, m.key)).status).toBe('sent'));
    const [row] = (await t.db.query(`SELECT text_body, html_body FROM mail_messages WHERE key = $1`, [
      m.key,
    ])) as Array<{
      text_body: string | null;
      html_body: string | null;
    }>;
    expect(row).toEqual({ text_body: null, html_body: null });
  });

  it('queues nothing when the transaction that caused the mail rolls back', async () => {
    const to = address('rolled');
    const m = mail(to);
    await expect(
      t.db.transaction(async (manager) => {
        await t.app.get(MailOutbox).queue(manager, m);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    // Something that must arrive, after the one that must not.
    const later = address('later');
    await queue(t, mail(later));
    await smtp.waitFor(later);
    expect(smtp.to(to)).toHaveLength(0);
    expect(await statusOf(t, m.key)).toBeUndefined();
  });

  it('makes one message of one key, however often it is queued', async () => {
    const to = address('once');
    const m = mail(to);
    expect(await queue(t, m)).toBe('queued');
    expect(await queue(t, { ...m, content: { ...m.content, subject: 'Again' } })).toBe('duplicate');
    await smtp.waitFor(to);
    await eventually(async () => expect((await statusOf(t, m.key)).status).toBe('sent'));
    expect(smtp.to(to)).toHaveLength(1);
  });

  it('adds RFC 8058 one-click unsubscribe headers to mail that is not an answer to her own action', async () => {
    const to = address('notice');
    const links = t.app.get(UnsubscribeLinks);
    const target = { scope: 'notice', id: randomBytes(8).toString('hex') };
    await queue(t, mail(to, { kind: 'notice', unsubscribe: target }));
    const got = await smtp.waitFor(to);
    expect(got.header['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(got.header['list-unsubscribe']).toBe(`<${links.oneClickUrl(target)}>`);
    expect(got.header['list-unsubscribe']).not.toContain(to);
    expect(got.text).toContain(links.pageUrl(target));
    expect(got.header['auto-submitted']).toBe('auto-generated');
  });

  it('refuses to queue a mail that is not an answer to her own action without an unsubscribe', async () => {
    await expect(queue(t, mail(address(), { kind: 'digest' }))).rejects.toThrow(/unsubscribe/);
  });

  it('stops notices to an address by a one-click POST, as a mail client sends it, without signing in', async () => {
    const to = address('stop');
    const first = mail(to, { kind: 'notice', unsubscribe: { scope: 'notice', id: 'pending' } });
    await queue(t, first);
    await smtp.waitFor(to);
    const [{ address_hash: addressHash }] = (await t.db.query(`SELECT address_hash FROM mail_messages WHERE key = $1`, [
      first.key,
    ])) as Array<{ address_hash: string }>;
    const token = t.app.get(UnsubscribeLinks).token({ scope: 'notice', id: addressHash });
    const res = await t.http
      .post(`/api/mail/unsubscribe/${token}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('List-Unsubscribe=One-Click')
      .expect(200);
    expect(res.body).toEqual({ unsubscribed: true, message: expect.stringContaining('no longer') });
    // Again: the same answer.
    await t.http.post(`/api/mail/unsubscribe/${token}`).send('List-Unsubscribe=One-Click').expect(200);
    expect(await queue(t, mail(to, { kind: 'notice', unsubscribe: { scope: 'notice', id: addressHash } }))).toBe(
      'suppressed',
    );
    // Only notices stopped: her own account's mail still goes.
    const answer = mail(to);
    expect(await queue(t, answer)).toBe('queued');
    await smtp.waitFor(to, (m) => m.subject === 'Confirm your address' && smtp.to(to).length === 2);
  });

  it('refuses a forged or altered unsubscribe link with 404', async () => {
    const token = t.app.get(UnsubscribeLinks).token({ scope: 'notice', id: 'abc' });
    const [payload, signature] = token.split('.');
    const other = Buffer.from('notice\nxyz').toString('base64url');
    for (const bad of [
      `${other}.${signature}`,
      `${payload}.${'A'.repeat(signature.length)}`,
      'nonsense',
      `${token}.x`,
    ]) {
      const res = await t.http.post(`/api/mail/unsubscribe/${bad}`).send('List-Unsubscribe=One-Click').expect(404);
      expect(res.body.message).toMatch(/unsubscribe link is not valid/);
    }
  });

  it('stops all mail to an address that SMTP refuses for good (hard bounce), and says so without the address', async () => {
    const to = address('gone');
    smtp.refuse.add(to);
    const m = mail(to);
    await queue(t, m);
    await eventually(async () => expect((await statusOf(t, m.key)).status).toBe('bounced'));
    expect((await statusOf(t, m.key)).last_error).toBe('550');
    expect(await queue(t, mail(to))).toBe('suppressed');
  });
});

describe('Mail: SMTP down for a while, then up (e2e)', () => {
  it('delivers every queued mail once when the server comes back', async () => {
    const port = await freePort();
    const t = await startTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_SEND_TIMEOUT_SECONDS: '5' });
    let smtp: TestSmtp | undefined;
    try {
      const tos = [address('a'), address('b'), address('c')];
      const mails = tos.map((to) => mail(to));
      for (const m of mails) await queue(t, m);
      // Each has been tried and refused at the door (the connection), and waits for its retry.
      await eventually(async () => {
        for (const m of mails) {
          const s = await statusOf(t, m.key);
          expect(s.attempts).toBeGreaterThanOrEqual(1);
          expect(s.last_error).toMatch(/^E[A-Z]+$/); // ECONNECTION, ESOCKET: a network error, never an address
        }
      });
      smtp = await startSmtp(port);
      for (const to of tos) await smtp.waitFor(to);
      for (const m of mails) await eventually(async () => expect((await statusOf(t, m.key)).status).toBe('sent'));
      for (const to of tos) expect(smtp.to(to)).toHaveLength(1);
    } finally {
      await t.close();
      await smtp?.close();
    }
  });
});

describe('Mail: the local outbox when there is no SMTP_URL (e2e)', () => {
  it('keeps the message, bodies and all, for the outbox page', async () => {
    const t = await startTestApp({ SMTP_URL: undefined });
    try {
      const m = mail(address('kept'));
      await queue(t, m);
      await eventually(async () => expect((await statusOf(t, m.key)).status).toBe('kept'));
      const [row] = (await t.db.query(`SELECT text_body FROM mail_messages WHERE key = $1`, [m.key])) as Array<{
        text_body: string;
      }>;
      expect(row.text_body).toContain('Confirm my address');
    } finally {
      await t.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
