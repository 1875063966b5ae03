import { Injectable } from '@nestjs/common';

/**
 * What time it is for every rule that opens or closes a window: posting pace, chat slow mode and rate, comment
 * limits. One instance per app (a provider of the global CommonModule), real time by default. Tests take it from
 * the app (`app.get(Clock)`) and move it forward instead of sleeping through a window.
 *
 * Windows kept in Redis or PostgreSQL compare stored clock times with `now()` (see ClockWindows), never a store's
 * own TTL, so moving this clock really passes them.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  /** Milliseconds since the epoch, as Date.now(). */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Moves this clock forward by `ms` (never back: windows only ever close). For tests and operators' drills. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('Clock.advance takes a non-negative number of ms');
    this.offsetMs += ms;
  }
}
