import { instantOf, wallClock } from '../common/time/wall-clock';
import type { Reminder } from './journal.types';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

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
