import { Inject, Injectable } from '@nestjs/common';
import { RedisBreaker } from '../redis/redis-breaker';
import { REDIS, type RedisClient } from '../redis/redis.module';
import { Clock } from './clock';

export interface WindowHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Seconds until the window closes (at least 1). */
  resetSeconds: number;
}

/**
 * Fixed windows measured by the injected Clock: a window opens at its first hit (clock time, stored with the count)
 * and closes `windowSeconds` later by that clock. In Redis when REDIS_URL is set, so they hold across processes;
 * in this process's memory otherwise, and while Redis is stalled or away (pacing then holds per process). A stored entry's own expiry only collects garbage: since the clock never runs
 * slower than real time, it never ends a window before the clock does.
 *
 * For the community's pacing rules (forums, chat, comments). Request throttling stays in RateLimitStore.
 */
@Injectable()
export class ClockWindows {
  private readonly memory = new Map<string, { startedAt: number; count: number; windowMs: number }>();
  private sweepAt = 0;
  private readonly breaker = new RedisBreaker('pacing windows count in this process');

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly clock: Clock,
  ) {}

  async hit(key: string, windowSeconds: number): Promise<WindowHit> {
    const now = this.clock.now();
    const windowMs = windowSeconds * 1000;
    const redis = this.redis;
    if (!redis) return this.hitMemory(key, now, windowMs);
    return this.breaker.run(
      async () => {
        const [count, leftMs] = (await redis.eval(HIT_SCRIPT, 1, `win:${key}`, now, windowMs)) as [number, number];
        return { count, resetSeconds: secondsOf(leftMs) };
      },
      () => this.hitMemory(key, now, windowMs),
    );
  }

  private hitMemory(key: string, now: number, windowMs: number): WindowHit {
    this.sweep(now);
    let entry = this.memory.get(key);
    if (!entry || now >= entry.startedAt + entry.windowMs) {
      entry = { startedAt: now, count: 0, windowMs };
      this.memory.set(key, entry);
    }
    entry.count += 1;
    return { count: entry.count, resetSeconds: secondsOf(entry.startedAt + entry.windowMs - now) };
  }

  async reset(key: string): Promise<void> {
    const redis = this.redis;
    this.memory.delete(key);
    if (redis)
      await this.breaker.run(
        async () => void (await redis.del(`win:${key}`)),
        () => undefined,
      );
  }

  /** Drops closed memory windows now and then, so the map does not grow with every member ever seen. */
  private sweep(now: number): void {
    if (now < this.sweepAt) return;
    this.sweepAt = now + 60_000;
    for (const [key, e] of this.memory) if (now >= e.startedAt + e.windowMs) this.memory.delete(key);
  }
}

const secondsOf = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * ARGV: now (clock ms), window (ms). A new window when none is open by the clock; else one more hit. The key expires
 * (real time) when its window closes, as garbage collection. Returns the count and the window's milliseconds left.
 */
const HIT_SCRIPT = `
local now = tonumber(ARGV[1])
local win = tonumber(ARGV[2])
local started = tonumber(redis.call('HGET', KEYS[1], 's'))
local count
if (not started) or now >= started + win then
  started = now
  count = 1
  redis.call('HSET', KEYS[1], 's', ARGV[1], 'c', 1)
else
  count = redis.call('HINCRBY', KEYS[1], 'c', 1)
end
local left = started + win - now
redis.call('PEXPIRE', KEYS[1], math.max(1, left))
return {count, left}
`;
