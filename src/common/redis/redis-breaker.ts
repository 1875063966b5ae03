import { Logger } from '@nestjs/common';

/** After a failure, Redis is left alone this long before one call tries it again. */
export const REDIS_RETRY_AFTER_MS = 2000;
/** An operation (a command, or a pipeline, which ioredis's command timeout does not cover) gets this long. */
export const REDIS_OPERATION_DEADLINE_MS = 500;

/**
 * For what can live without Redis for a while (rate-limit counters, pacing windows, chat presence) or must refuse
 * at once without it (captcha challenges): runs the Redis operation, and when Redis is stalled or away (the command
 * timed out or failed) runs the fallback instead (the process-local answer, or a 503). After a failure the breaker
 * stays open for REDIS_RETRY_AFTER_MS, so that during an outage only one call in that time pays the command timeout;
 * the rest go straight to the fallback. Logs once when an outage starts and once when Redis answers again, never
 * once per call.
 */
export class RedisBreaker {
  private readonly logger = new Logger('Redis');
  private openUntil = 0;
  private down = false;
  private fallbacks = 0;

  constructor(
    /** What degrades, in words: "rate limits count in this process". */
    private readonly degradation: string,
    private readonly now: () => number = Date.now,
    /**
     * A breaker of the same connection that runs earlier in the same requests (the request rate limit, before the
     * captcha): while it has found Redis away, this one does not wait for Redis either, so that a request waits for
     * one timeout at most. Its own failures stay its own: they never open the breaker it follows.
     */
    private readonly follows?: RedisBreaker,
  ) {}

  /** True while Redis is known to be away (by this breaker or the one it follows) and the fallback answers. */
  get isOpen(): boolean {
    return (this.down && this.now() < this.openUntil) || (this.follows?.isOpen ?? false);
  }

  async run<T>(op: () => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    if (this.isOpen) {
      this.fallbacks += 1;
      return fallback();
    }
    try {
      const value = await withinDeadline(op());
      if (this.down) {
        this.logger.log(`Redis answers again; ${this.fallbacks} calls were answered without it (${this.degradation})`);
        this.down = false;
        this.fallbacks = 0;
      }
      return value;
    } catch (err) {
      this.openUntil = this.now() + REDIS_RETRY_AFTER_MS;
      if (!this.down) {
        this.down = true;
        this.logger.warn(`Redis does not answer (${(err as Error).message}): ${this.degradation} until it does`);
      }
      this.fallbacks += 1;
      return fallback();
    }
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
