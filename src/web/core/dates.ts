/**
 * How the pages write times, in one place. The server does not know the reader's time zone, so every time is in
 * UTC and says so; each is printed inside a <time datetime="…"> that carries the exact moment.
 */
const DAY_MS = 86_400_000;

const SHORT_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const FULL = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

const asDate = (at: string | Date) => (typeof at === 'string' ? new Date(at) : at);

/** "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago", then "12 Mar 2026" (the forum). */
export function ago(at: string | Date, now = Date.now()): string {
  const date = asDate(at);
  const ms = now - date.getTime();
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${plural(Math.floor(ms / 60_000), 'minute')} ago`;
  if (ms < DAY_MS) return `${plural(Math.floor(ms / 3_600_000), 'hour')} ago`;
  if (ms < 2 * DAY_MS) return 'yesterday';
  if (ms < 7 * DAY_MS) return `${Math.floor(ms / DAY_MS)} days ago`;
  return shortDate(date);
}

/**
 * SHORT_DATE's text by UTC day, remembered: a thread page prints one for each post, and Intl's format() cost about
 * 0.05 ms a page (bench/web-thread.mjs, profiled). The text depends on the UTC day alone.
 */
const shortDates = new Map<number, string>();

function shortDate(date: Date): string {
  const day = Math.floor(date.getTime() / DAY_MS);
  let text = shortDates.get(day);
  if (text === undefined) {
    text = SHORT_DATE.format(date);
    if (shortDates.size >= 10_000) shortDates.clear();
    shortDates.set(day, text);
  }
  return text;
}

/** "3 Nov, 14:05 UTC" (chat messages; the chat island writes the ones it adds the same way). */
export function clock(at: string | Date): string {
  return `${CLOCK.format(asDate(at))} UTC`;
}

/** "3 Dec 2026, 18:00 UTC": moderators in different places read one clock. */
export function fullTime(at: string | Date | null | undefined): string {
  return at ? `${FULL.format(asDate(at))} UTC` : '';
}

/** "26 November 2026" (profiles: when a member joined). */
export function longDate(at: string | Date): string {
  return LONG_DATE.format(asDate(at));
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
