import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock';
import { unavailable } from '../common/errors/domain-error';
import { RateLimitStore } from '../common/rate-limit/rate-limit.store';
import { RedisBreaker } from '../common/redis/redis-breaker';
import { REDIS, type RedisClient } from '../common/redis/redis.module';

export interface StoredChallenge {
  id: string;
  kind: 'image' | 'pow';
  answerHmac: Buffer;
  salt: string | null;
  expiresAt: Date;
  issuedAt?: Date;
}

/**
 * Where challenges live between issue and answer: Redis when REDIS_URL is set, else PostgreSQL. Either way any
 * server process can check a challenge, and `consume` hands a challenge out at most once, atomically, and only
 * before it expires. The issue time is the injected clock's, as the "sent within 3 s" spam signal reads it.
 */
@Injectable()
export class ChallengeStore {
  /**
   * A challenge cannot live without Redis: while it is stalled or away, the captcha answers 503 at once. The request's
   * rate limit asked Redis first: once it has found Redis away, the captcha does not wait for Redis again.
   */
  private readonly breaker: RedisBreaker;

  constructor(
    private readonly db: DataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly clock: Clock,
    rateLimits: RateLimitStore,
  ) {
    this.breaker = new RedisBreaker('captcha challenges answer 503', Date.now, rateLimits.breaker);
  }

  async save(c: StoredChallenge): Promise<void> {
    const redis = this.redis;
    if (redis) {
      const ttlMs = Math.max(1, c.expiresAt.getTime() - Date.now());
      const value = JSON.stringify({
        kind: c.kind,
        answerHmac: c.answerHmac.toString('base64'),
        salt: c.salt,
        issuedAt: this.clock.now(),
      });
      await this.breaker.run(() => redis.set(`captcha:${c.id}`, value, 'PX', ttlMs), refuse);
      return;
    }
    await this.db.query(
      `INSERT INTO captcha_challenges (id, kind, answer_hmac, salt, expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [c.id, c.kind, c.answerHmac, c.salt, c.expiresAt, this.clock.date()],
    );
  }

  /** Takes the challenge out of play and returns it, or undefined when unknown, used or expired. */
  async consume(id: string): Promise<Omit<StoredChallenge, 'expiresAt'> | undefined> {
    const redis = this.redis;
    if (redis) {
      const raw = await this.breaker.run(() => redis.getdel(`captcha:${id}`), refuse);
      if (!raw) return undefined;
      const v = JSON.parse(raw) as {
        kind: 'image' | 'pow';
        answerHmac: string;
        salt: string | null;
        issuedAt?: number;
      };
      return {
        id,
        kind: v.kind,
        answerHmac: Buffer.from(v.answerHmac, 'base64'),
        salt: v.salt,
        issuedAt: new Date(v.issuedAt ?? Date.now()),
      };
    }
    const rows = (await this.db.query(
      `UPDATE captcha_challenges SET consumed_at = now()
        WHERE id = $1 AND consumed_at IS NULL AND expires_at > now()
        RETURNING id, kind, answer_hmac AS "answerHmac", salt, created_at AS "issuedAt"`,
      [id],
    )) as [Array<Omit<StoredChallenge, 'expiresAt'>>, number];
    return rows[0][0];
  }

  /** Drops challenges that can no longer be used (Redis expires its own). */
  async purgeExpired(): Promise<number> {
    if (this.redis) return 0;
    const [, count] = (await this.db.query(
      `DELETE FROM captcha_challenges WHERE expires_at < now() - interval '1 hour' OR consumed_at < now() - interval '1 hour'`,
    )) as [unknown, number];
    return count;
  }
}

const refuse = (): never => {
  throw unavailable();
};
