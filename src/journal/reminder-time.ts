import type { Reminder } from './journal.types';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
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

/** The wall-clock time in `zone` at `at`, as if it were UTC (ms). */
function wallClock(at: number, zone: string): number {
  const p = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  );
  return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
}

/** The instant at which the wall clock in `zone` reads `wall` (ms, as UTC); a DST gap resolves forward. */
function instantOf(wall: number, zone: string): number {
  let guess = wall - (wallClock(wall, zone) - wall);
  guess = wall - (wallClock(guess, zone) - guess);
  return guess;
}

/**
 * When her next journal reminder goes: the first moment after `now` at which the clock in her zone (UTC when she
 * set none) reads her hour, on any day (daily) or on her weekday (weekly, 1 Monday ... 7 Sunday). Null when off.
 */
export function nextReminderAt(reminder: Reminder, timeZone: string | null, now: Date): Date | null {
  if (reminder.frequency === 'off') return null;
  const zone = timeZone ?? 'UTC';
  const today = Math.floor(wallClock(now.getTime(), zone) / DAY) * DAY;
  for (let k = 0; k <= 8; k++) {
    const wall = today + k * DAY + reminder.hour * HOUR;
    const isoWeekday = ((new Date(wall).getUTCDay() + 6) % 7) + 1;
    if (reminder.frequency === 'weekly' && isoWeekday !== reminder.weekday) continue;
    const at = instantOf(wall, zone);
    if (at > now.getTime()) return new Date(at);
  }
  return null;
}
