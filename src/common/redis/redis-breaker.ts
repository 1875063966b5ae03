import { Logger } from '@nestjs/common';

/** After a failure, Redis is left alone this long before one call tries it again. */
export const REDIS_RETRY_AFTER_MS = 2000;
/** An operation (a command, or a pipeline, which ioredis's command timeout does not cover) gets this long. */
export const REDIS_OPERATION_DEADLINE_MS = 500;

/**
 * What the users of one Redis connection know of it: until when it is left alone after its last failure. Shared, so
 * that one request never pays the deadline twice (its rate limit, then its captcha): once any of them has found Redis
 * stalled, the others go straight to their fallback too.
 */
const outages = new WeakMap<object, { openUntil: number }>();

/**
 * For what can live without Redis for a while (rate-limit counters, pacing windows, chat presence) or must refuse
 * at once without it (captcha challenges): runs the Redis operation, and when Redis is stalled or away (the command
 * timed out or failed) runs the fallback instead (the process-local answer, or a 503). After a failure every breaker
 * of the same connection stays open for REDIS_RETRY_AFTER_MS, so that during an outage only one call in that time
 * pays the command timeout; the rest go straight to their fallback. Each logs once when its degradation starts and
 * once when Redis answers it again, never once per call.
 */
export class RedisBreaker {
  private readonly logger = new Logger('Redis');
  private readonly outage: { openUntil: number };
  private down = false;
  private fallbacks = 0;

  constructor(
    /** The connection: its breakers share what they know of it (none: Redis is not used, nothing to share). */
    redis: object | null,
    /** What degrades, in words: "rate limits count in this process". */
    private readonly degradation: string,
    private readonly now: () => number = Date.now,
  ) {
    let outage = redis ? outages.get(redis) : undefined;
    if (!outage) {
      outage = { openUntil: 0 };
      if (redis) outages.set(redis, outage);
    }
    this.outage = outage;
  }

  /** True while Redis is known to be away and the fallback answers. */
  get isOpen(): boolean {
    return this.now() < this.outage.openUntil;
  }

  async run<T>(op: () => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    if (this.isOpen) return this.degrade('another call found Redis away', fallback);
    try {
      const value = await withinDeadline(op());
      if (this.down) {
        this.logger.log(`Redis answers again; ${this.fallbacks} calls were answered without it (${this.degradation})`);
        this.down = false;
        this.fallbacks = 0;
      }
      return value;
    } catch (err) {
      this.outage.openUntil = this.now() + REDIS_RETRY_AFTER_MS;
      return this.degrade((err as Error).message, fallback);
    }
  }

  private degrade<T>(reason: string, fallback: () => T | Promise<T>): T | Promise<T> {
    if (!this.down) {
      this.down = true;
      this.logger.warn(`Redis does not answer (${reason}): ${this.degradation} until it does`);
    }
    this.fallbacks += 1;
    return fallback();
  }
}

function withinDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('Command timed out')), REDIS_OPERATION_DEADLINE_MS);
  });
  work.catch(() => undefined); // a late failure after the deadline has nobody to tell
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
