import { instantOf, validTimeZone, wallClock } from '../common/time/wall-clock';
import { DIGEST_HOUR } from './subscription.constants';

export interface DigestPeriod {
  /** The local date of the digest (daily) or of its week's Monday (weekly): `2026-12-04`. */
  period: string;
  /** What the digest covers: [from, to), `to` being its 08:00. */
  from: Date;
  to: Date;
}

const DAY = 86_400_000;

/**
 * The most recent digest moment at or before `now` for a subscriber in `zone`: each day's (daily) or each Monday's
 * (weekly) 08:00 local time. An hourly run sends it if it has not been sent: late runs catch up, reruns do not repeat.
 */
export function latestDigest(now: Date, zone: string | null, frequency: 'daily' | 'weekly'): DigestPeriod {
  const tz = zone && validTimeZone(zone) ? zone : 'UTC';
  const wall = wallClock(now.getTime(), tz);
  const today = Math.floor(wall / DAY) * DAY;
  let day = wall - today >= DIGEST_HOUR * 3600_000 ? today : today - DAY;
  if (frequency === 'weekly') {
    const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday 0
    day -= weekday * DAY;
  }
  const to = instantOf(day + DIGEST_HOUR * 3600_000, tz);
  const length = frequency === 'daily' ? DAY : 7 * DAY;
  const from = instantOf(day - length + DIGEST_HOUR * 3600_000, tz);
  return { period: new Date(day).toISOString().slice(0, 10), from: new Date(from), to: new Date(to) };
}
