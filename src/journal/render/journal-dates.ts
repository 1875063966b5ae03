/**
 * The journal's days are calendar dates (YYYY-MM-DD, in her own zone when she wrote them): they are read and written
 * here as midnight UTC, so that no reader's zone moves a day.
 */
const DAY_MS = 86_400_000;

const SHORT = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' });
const LONG = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
const WEEKDAY = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date as midnight UTC. */
export const dayOf = (date: string): Date => new Date(`${date}T00:00:00Z`);

/** A real calendar date (not 2026-02-30). */
export function isCalendarDate(date: string): boolean {
  if (!ISO_DATE.test(date)) return false;
  const d = dayOf(date);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** The date `days` after (or before, when negative) another. */
export const addDays = (date: string, days: number): string =>
  new Date(dayOf(date).getTime() + days * DAY_MS).toISOString().slice(0, 10);

/** Days from one date to another (positive when `to` is later). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((dayOf(to).getTime() - dayOf(from).getTime()) / DAY_MS);

/** "5 Mar" */
export const shortDay = (date: string): string => SHORT.format(dayOf(date));
/** "5 Mar 2026" */
export const longDay = (date: string): string => LONG.format(dayOf(date));
/** "Thursday 5 March 2026" */
export const weekdayDay = (date: string): string => WEEKDAY.format(dayOf(date));

/** "5 Mar to 18 Mar 2026" */
export const period = (from: string, to: string): string =>
  from.slice(0, 4) === to.slice(0, 4) ? `${shortDay(from)} to ${longDay(to)}` : `${longDay(from)} to ${longDay(to)}`;
