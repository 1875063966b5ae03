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
export const dayOf = (date: string): Date =>
  new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))));

/**
 * Formatting a date is the costliest part of a year's chart tables (Intl's format(): 3,650 rows), and the same few
 * hundred dates come back on every page: each format's text is remembered, up to REMEMBERED dates.
 */
const REMEMBERED = 4000;
function remembered(format: Intl.DateTimeFormat): (date: string) => string {
  const texts = new Map<string, string>();
  return (date) => {
    let text = texts.get(date);
    if (text === undefined) {
      if (texts.size >= REMEMBERED) texts.clear();
      text = format.format(dayOf(date));
      texts.set(date, text);
    }
    return text;
  };
}

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
export const shortDay = remembered(SHORT);
/** "5 Mar 2026" */
export const longDay = remembered(LONG);
/** "Thursday 5 March 2026" */
export const weekdayDay = remembered(WEEKDAY);

/** "5 Mar to 18 Mar 2026" */
export const period = (from: string, to: string): string =>
  from.slice(0, 4) === to.slice(0, 4) ? `${shortDay(from)} to ${longDay(to)}` : `${longDay(from)} to ${longDay(to)}`;
