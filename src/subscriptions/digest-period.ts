import { DIGEST_HOUR } from './subscription.constants';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    if (formatters.size > 500) formatters.clear();
    formatters.set(zone, f);
  }
  return f;
}

export function validTimeZone(zone: string): boolean {
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time in `zone` at `at`, as if it were UTC (ms). */
function wallClock(at: number, zone: string): number {
  const p = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  );
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
}

/** The instant at which the wall clock in `zone` reads `wall` (ms, as UTC); DST gaps resolve forward. */
function instantOf(wall: number, zone: string): number {
  let guess = wall - (wallClock(wall, zone) - wall);
  guess = wall - (wallClock(guess, zone) - guess);
  return guess;
}

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
