import { randomBytes } from 'node:crypto';
import type { TestApp } from '../app';
import { bearer, type TestUser } from '../factories/users';
import type { ReceivedMail, TestSmtp } from './smtp';

export const guestAddress = (name = 'reader') => `${name}-${randomBytes(4).toString('hex')}@example.org`;

/** The confirmation link's token, as a person would follow it from her mail. */
export function confirmToken(mail: ReceivedMail): string {
  const link = mail.links.find((l) => l.includes('/subscriptions/confirm/'));
  if (!link) throw new Error(`no confirmation link in "${mail.subject}"`);
  return link.split('/subscriptions/confirm/')[1];
}

export const isConfirmation = (m: ReceivedMail) => m.subject.startsWith('Please confirm');

/** The `List-Unsubscribe` URL of a mail (RFC 8058), without its angle brackets. */
export const oneClickUrl = (mail: ReceivedMail) => mail.header['list-unsubscribe'].replace(/^<|>$/g, '');

/** An article page made by an admin, as the comment specs make them. */
export async function newArticle(t: TestApp, admin: TestUser, title = 'An article'): Promise<string> {
  const key = `page-${randomBytes(4).toString('hex')}`;
  await t.http
    .put(`/api/pages/${key}`)
    .set(bearer(admin.accessToken))
    .send({ title, url: 'https://example.org/a' })
    .expect(201);
  return key;
}

/** A guest subscribes and confirms from the link in her mail (double opt-in, driven by the mail). */
export async function confirmedGuest(
  t: TestApp,
  smtp: TestSmtp,
  target: { type: string; key?: string },
  frequency = 'immediately',
): Promise<string> {
  const email = guestAddress();
  await t.http.post('/api/subscriptions').send({ email, target, frequency }).expect(202);
  const token = confirmToken(await smtp.waitFor(email, isConfirmation));
  await t.http.post('/api/subscriptions/confirm').send({ token }).expect(204);
  return email;
}

/** A member whose address is confirmed (members who joined before confirmation existed are, too). */
export async function confirmAddress(t: TestApp, user: TestUser): Promise<void> {
  await t.db.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [user.id]);
}

/** A comment by a moderator: published at once, never held. */
export async function publishedComment(t: TestApp, mod: TestUser, key: string, body: string): Promise<string> {
  const res = await t.http.post(`/api/pages/${key}/comments`).set(bearer(mod.accessToken)).send({ body }).expect(201);
  return (res.body as { id: string }).id;
}
