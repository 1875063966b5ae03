import type { LoggerService } from '@nestjs/common';

/** An outage is over once no 503 was answered for this long; the next 503 starts a new one. */
export const OUTAGE_QUIET_MS = 30_000;

/**
 * Expected 503s (the database or Redis briefly away, readiness failing) are logged once when an outage starts, with
 * how many the previous one answered, never once per request and never with a stack.
 */
export class OutageLog {
  private lastAt = Number.NEGATIVE_INFINITY;
  private answered = 0;

  constructor(
    private readonly logger: Pick<LoggerService, 'warn'>,
    private readonly now: () => number = Date.now,
  ) {}

  seen(reason: string): void {
    const now = this.now();
    if (now - this.lastAt > OUTAGE_QUIET_MS) {
      const before = this.answered > 0 ? ` (the previous outage answered ${this.answered} requests with 503)` : '';
      this.logger.warn(
        `answering 503 with Retry-After: ${reason}; further 503s of this outage are counted, not logged${before}`,
      );
      this.answered = 0;
    }
    this.lastAt = now;
    this.answered += 1;
  }
}
