import { createHash, randomBytes } from 'node:crypto';
import type TestAgent from 'supertest/lib/agent';
import type { TestApp } from '../app';
import { hashPassword } from '../../src/auth/passwords';
import type { Role } from '../../src/common/auth/role';
import { UsersService } from '../../src/users/users.service';

let counter = 0;
/** A username no other test (or earlier run on the same database) has. */
export function uniqueUsername(prefix = 'u'): string {
  counter += 1;
  return `${prefix}_${process.pid.toString(36)}${counter.toString(36)}${randomBytes(3).toString('hex')}`.slice(0, 32);
}

export const strongPassword = () => `calm-river-${randomBytes(6).toString('hex')}`;

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/**
 * A member made directly (no captcha), then signed in over HTTP like any client. Her address is confirmed, as for
 * every member who joined before confirmation existed, unless `emailConfirmed: false`.
 */
export async function createUser(
  t: TestApp,
  options: { role?: Role; username?: string; emailConfirmed?: boolean } = {},
): Promise<TestUser> {
  const username = options.username ?? uniqueUsername();
  const email = `${username}@example.org`;
  const password = strongPassword();
  const users = t.app.get(UsersService);
  const user = await users.create({ username, email, passwordHash: await hashPassword(password) });
  if (options.emailConfirmed !== false) {
    await t.db.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [user.id]);
  }
  if (options.role && options.role !== 'member') await users.setRole(username, options.role, 'cli');
  const res = await t.http.post('/api/auth/login').send({ login: username, password }).expect(200);
  const body = res.body as { accessToken: string; refreshToken: string };
  return { id: user.id, username, email, password, accessToken: body.accessToken, refreshToken: body.refreshToken };
}

/** Solves a proof-of-work challenge the way the ALTCHA widget does: try numbers until SHA-256(salt + n) matches. */
export function solvePow(c: { salt: string; challenge: string; maxNumber: number }): number {
  for (let n = 0; n <= c.maxNumber; n++) {
    if (createHash('sha256').update(`${c.salt}${n}`).digest('hex') === c.challenge) return n;
  }
  throw new Error('no solution in range');
}

/** A solved proof-of-work captcha, ready to send. */
export async function solvedCaptcha(http: TestAgent): Promise<{ id: string; number: number }> {
  const res = await http.get('/api/captcha?kind=pow').expect(200);
  const c = res.body as { id: string; salt: string; challenge: string; maxNumber: number };
  return { id: c.id, number: solvePow(c) };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
