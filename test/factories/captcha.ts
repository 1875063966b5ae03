import { REDIS, type RedisClient } from '../../src/common/redis/redis.module';
import type { TestApp } from '../app';

/** Makes a challenge expire now, wherever this run keeps challenges (Redis in CI, else PostgreSQL). */
export async function expireChallenge(t: TestApp, id: string): Promise<void> {
  const redis = t.app.get<RedisClient>(REDIS);
  // An expired key is a missing key to Redis: delete it rather than wait for a 1 ms expiry.
  if (redis) await redis.del(`captcha:${id}`);
  else await t.db.query(`UPDATE captcha_challenges SET expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
}

/** Everything stored for a challenge, as text, to check that no answer is kept in the clear. */
export async function storedChallenge(t: TestApp, id: string): Promise<string> {
  const redis = t.app.get<RedisClient>(REDIS);
  if (redis) return (await redis.get(`captcha:${id}`)) ?? '';
  const rows = (await t.db.query('SELECT kind, answer_hmac, salt FROM captcha_challenges WHERE id = $1', [
    id,
  ])) as Array<{
    kind: string;
    answer_hmac: Buffer;
    salt: string | null;
  }>;
  return rows.map((r) => `${r.kind} ${r.answer_hmac.toString('latin1')} ${r.salt ?? ''}`).join('');
}
