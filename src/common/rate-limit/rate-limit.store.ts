import { Inject, Injectable } from '@nestjs/common';
import { RedisBreaker } from '../redis/redis-breaker';
import { REDIS, type RedisClient } from '../redis/redis.module';

export interface HitResult {
  /** Hits in the current window, this one included. */
  count: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

/**
 * Fixed-window counters for rate limits and login throttling. In Redis when REDIS_URL is set, so limits hold across
 * server processes; in this process's memory otherwise, and while Redis is stalled or away (the limits then fail open
 * to per-process counting rather than hanging or refusing every request).
 */
@Injectable()
export class RateLimitStore {
  private readonly memory = new Map<string, { count: number; resetAt: number }>();
  private sweepAt = 0;
  /** What the request rate limit found of Redis; what a request asks of Redis later follows it (the captcha). */
  readonly breaker = new RedisBreaker('rate limits count in this process');

  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  /** Adds `amount` hits (1 unless a request weighs more) to the key's current window. */
  async hit(key: string, windowSeconds: number, amount = 1): Promise<HitResult> {
    const redis = this.redis;
    if (!redis) return this.hitMemory(key, windowSeconds, amount);
    return this.breaker.run(
      async () => {
        const [count, ttlMs] = (await redis.eval(HIT_SCRIPT, 1, `rl:${key}`, windowSeconds * 1000, amount)) as [
          number,
          number,
        ];
        return { count, resetSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
      },
      () => this.hitMemory(key, windowSeconds, amount),
    );
  }

  private hitMemory(key: string, windowSeconds: number, amount: number): HitResult {
    const now = Date.now();
    this.sweep(now);
    let entry = this.memory.get(key);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + windowSeconds * 1000 };
      this.memory.set(key, entry);
    }
    entry.count += amount;
    return { count: entry.count, resetSeconds: Math.max(1, Math.ceil((entry.resetAt - now) / 1000)) };
  }

  /** The current count without adding a hit. */
  async peek(key: string): Promise<HitResult> {
    const redis = this.redis;
    if (!redis) return this.peekMemory(key);
    return this.breaker.run(
      async () => {
        const [count, ttlMs] = await Promise.all([redis.get(`rl:${key}`), redis.pttl(`rl:${key}`)]);
        return { count: Number(count ?? 0), resetSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
      },
      () => this.peekMemory(key),
    );
  }

  private peekMemory(key: string): HitResult {
    const now = Date.now();
    const entry = this.memory.get(key);
    if (!entry || entry.resetAt <= now) return { count: 0, resetSeconds: 0 };
    return { count: entry.count, resetSeconds: Math.max(1, Math.ceil((entry.resetAt - now) / 1000)) };
  }

  /** Gives back one hit of the key's current window (never below zero; nothing when the window has ended). */
  async release(key: string): Promise<void> {
    const redis = this.redis;
    const releaseMemory = () => {
      const entry = this.memory.get(key);
      if (entry && entry.resetAt > Date.now() && entry.count > 0) entry.count -= 1;
    };
    if (!redis) return releaseMemory();
    await this.breaker.run(async () => void (await redis.eval(RELEASE_SCRIPT, 1, `rl:${key}`)), releaseMemory);
  }

  async reset(key: string): Promise<void> {
    const redis = this.redis;
    this.memory.delete(key);
    if (redis)
      await this.breaker.run(
        async () => void (await redis.del(`rl:${key}`)),
        () => undefined,
      );
  }

  /** Drops expired memory windows now and then, so the map does not grow with every IP ever seen. */
  private sweep(now: number): void {
    if (now < this.sweepAt) return;
    this.sweepAt = now + 60_000;
    for (const [key, entry] of this.memory) if (entry.resetAt <= now) this.memory.delete(key);
  }
}

/** INCRBY, and start the window's expiry on the first hit; returns the count and the milliseconds left. */
const HIT_SCRIPT = `
local amount = tonumber(ARGV[2])
local count = redis.call('INCRBY', KEYS[1], amount)
if count == amount then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

/** DECR only a live, positive counter: a window that ended meanwhile is not brought back below zero. */
const RELEASE_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then return redis.call('DECR', KEYS[1]) end
return 0
`;
