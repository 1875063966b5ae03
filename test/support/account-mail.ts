import { createHash } from 'node:crypto';
import type { TestApp } from '../app';
import { solvedCaptcha, strongPassword, uniqueUsername } from '../factories/users';
import type { ReceivedMail } from './smtp';

/** A sign-up over the API, as a client makes it; answers the form sent and the 201's body. */
export async function registerOverApi(t: TestApp, overrides: { email?: string; username?: string } = {}) {
  const username = overrides.username ?? uniqueUsername('am');
  const form = {
    username,
    email: overrides.email ?? `${username}@example.org`,
    password: strongPassword(),
    captcha: await solvedCaptcha(t.http),
  };
  const res = await t.http.post('/api/auth/register').send(form).expect(201);
  return { form, body: res.body as { user: { id: string }; accessToken: string; refreshToken: string } };
}

/** The link in a mail that opens `page` (`/confirm-email`, `/reset-password` ...), under PUBLIC_URL. */
export function linkTo(mail: ReceivedMail, page: string): URL {
  const found = mail.links.map((l) => new URL(l)).find((u) => u.pathname === page);
  if (!found) throw new Error(`no ${page} link in "${mail.subject}": ${mail.links.join(', ')}`);
  return found;
}

/** The token a mailed link carries (the only way a test learns it). */
export function tokenIn(mail: ReceivedMail, page: string): string {
  return linkTo(mail, page).searchParams.get('token') ?? '';
}

/** Moves a link's expiry into the past, as the hours passing would (its row is found by the token's hash). */
export async function expireLink(t: TestApp, token: string): Promise<void> {
  const hash = createHash('sha256').update(token).digest('hex');
  await t.db.query(`UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE token_hash = $1`, [hash]);
}

export async function addressState(t: TestApp, userId: string) {
  const [row] = (await t.db.query(
    `SELECT email, email_verified_at IS NOT NULL AS confirmed, email_confirmable AS confirmable FROM users WHERE id = $1`,
    [userId],
  )) as Array<{ email: string; confirmed: boolean; confirmable: boolean }>;
  return row;
}

export const uniqueAddress = (name = 'am') => `${uniqueUsername(name)}@example.org`;
