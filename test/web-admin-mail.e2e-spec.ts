import { randomBytes } from 'node:crypto';
import { MailOutbox } from '../src/mail/outbox';
import { startTestApp, type TestApp } from './app';
import { createUser } from './factories/users';
import { signInBrowser } from './factories/web';
import { eventually } from './support/eventually';
import { startSmtp, type TestSmtp } from './support/smtp';

async function queueOne(t: TestApp, subject: string): Promise<string> {
  const key = `page-test:${randomBytes(6).toString('hex')}`;
  await t.db.transaction((m) =>
    t.app.get(MailOutbox).queue(m, {
      key,
      to: `reader-${randomBytes(3).toString('hex')}@example.org`,
      kind: 'account',
      content: {
        subject,
        paragraphs: ['Someone asked to reset the password of your account. <b>not bold</b>'],
        action: { label: 'Choose a new password', url: 'http://haven.test/reset-password?token=abc' },
        items: [{ title: 'Elsewhere', url: 'https://evil.example/x' }],
      },
    }),
  );
  return eventually(async () => {
    const [row] = (await t.db.query(`SELECT id, status FROM mail_messages WHERE key = $1`, [key])) as Array<{
      id: string;
      status: string;
    }>;
    expect(['kept', 'sent']).toContain(row.status);
    return row.id;
  });
}

describe('The mail pages (/admin/mail) on a trial server without SMTP (web)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ SMTP_URL: undefined });
  });
  afterAll(() => t.close());

  it('shows someone at this machine the mail it would have sent, its own links clickable and nothing else', async () => {
    const subject = `Reset ${randomBytes(3).toString('hex')}`;
    const id = await queueOne(t, subject);
    const list = await t.http.get('/admin/mail').expect(200);
    expect(list.text).toContain('no mail server set up');
    expect(list.text).toContain(`href="/admin/mail/${id}"`);
    expect(list.text).toContain(subject);
    const page = await t.http.get(`/admin/mail/${id}`).expect(200);
    expect(page.text).toContain('<a href="http://haven.test/reset-password?token=abc">');
    expect(page.text).not.toContain('<a href="https://evil.example/x">');
    expect(page.text).toContain('&lt;b&gt;not bold&lt;/b&gt;');
    expect(page.text).toContain('noindex');
    const html = await t.http.get(`/admin/mail/${id}/html`).expect(200);
    expect(html.headers['content-security-policy']).toContain('sandbox');
    expect(html.text).toContain('Choose a new password');
  });

  it('links the sign-in page to it for someone at this machine', async () => {
    const page = await t.http.get('/signin').expect(200);
    expect(page.text).toContain('<a href="/admin/mail">see the mail this server would have sent</a>');
  });

  it('answers 404 for a mail that does not exist', async () => {
    await t.http.get('/admin/mail/999999999').expect(404);
    await t.http.get('/admin/mail/not-a-number').expect(404);
  });
});

describe('The mail pages (/admin/mail) once mail is sent for real (web)', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('is not offered on the sign-in page', async () => {
    const page = await t.http.get('/signin').expect(200);
    expect(page.text).not.toContain('/admin/mail');
  });

  it('is for admins only, and keeps no text of a sent mail', async () => {
    const id = await queueOne(t, 'Sent for real');
    const guest = await t.http.get('/admin/mail');
    expect([302, 303, 401]).toContain(guest.status);
    await t.http.get(`/admin/mail/${id}/html`).expect((res) => expect([302, 303, 401]).toContain(res.status));
    const member = await signInBrowser(t, await createUser(t));
    await t.http.get('/admin/mail').set('Cookie', member.cookie).expect(403);
    await t.http.get(`/admin/mail/${id}`).set('Cookie', member.cookie).expect(403);
    const admin = await signInBrowser(t, await createUser(t, { role: 'admin' }));
    const list = await t.http.get('/admin/mail').set('Cookie', admin.cookie).expect(200);
    expect(list.text).toContain('Sent for real');
    await eventually(async () => {
      const page = await t.http.get(`/admin/mail/${id}`).set('Cookie', admin.cookie).expect(200);
      expect(page.text).toContain('its text is not kept');
    });
  });
});
