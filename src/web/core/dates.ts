/**
 * How the pages write times, in one place: in the reader's time zone, and saying which ("3 Dec, 13:00 New York
 * time"). A member chooses her zone in the settings (guessed from her browser at sign-up and sign-in); guests and
 * members without one read UTC, named. Each time is printed inside a <time datetime="…"> that carries the exact
 * moment. A page gets its reader's clock as `it.page.zone` (see PageContext); handlers ask `readerZone(principal)`.
 */
import { canonicalTimeZone } from '../../common/time/time-zone';

const DAY_MS = 86_400_000;
/** Every zone's offset from UTC is a whole number of quarter hours: a quarter hour never straddles a local midnight. */
const QUARTER_MS = 900_000;

/** One reader's clock: the formats of one time zone, made once and kept (Intl.DateTimeFormat is costly to make). */
export class ZoneClock {
  /** "UTC", or "New York time": what follows a time so that nobody guesses which clock it is. */
  readonly label: string;
  private readonly shortDate: Intl.DateTimeFormat;
  private readonly longDateFormat: Intl.DateTimeFormat;
  private readonly clockFormat: Intl.DateTimeFormat;
  private readonly fullFormat: Intl.DateTimeFormat;
  /**
   * The short date's text by quarter hour, remembered: a thread page prints one for each post, and Intl's format()
   * cost about 0.05 ms a page (bench/web-thread.mjs, profiled). The text depends on the quarter hour alone.
   */
  private readonly shortDates = new Map<number, string>();
  /** The parts of a moment in this zone, for `datetime-local` fields (made when a form first needs it). */
  private partsFormat?: Intl.DateTimeFormat;

  constructor(readonly id: string) {
    this.label = zoneLabel(id);
    const base = { timeZone: id } as const;
    this.shortDate = new Intl.DateTimeFormat('en-GB', { ...base, day: 'numeric', month: 'short', year: 'numeric' });
    this.longDateFormat = new Intl.DateTimeFormat('en-GB', { ...base, day: 'numeric', month: 'long', year: 'numeric' });
    const time = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
    this.clockFormat = new Intl.DateTimeFormat('en-GB', { ...base, ...time, day: 'numeric', month: 'short' });
    this.fullFormat = new Intl.DateTimeFormat('en-GB', {
      ...base,
      ...time,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    });
  }

  /** "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago", then "12 Mar 2026" (the forum). */
  ago(at: string | Date, now = Date.now()): string {
    const time = timeOf(at);
    const ms = now - time;
    if (ms < 60_000) return 'just now';
    if (ms < 3_600_000) return `${plural(Math.floor(ms / 60_000), 'minute')} ago`;
    if (ms < DAY_MS) return `${plural(Math.floor(ms / 3_600_000), 'hour')} ago`;
    if (ms < 2 * DAY_MS) return 'yesterday';
    if (ms < 7 * DAY_MS) return `${Math.floor(ms / DAY_MS)} days ago`;
    return this.date(time);
  }

  /** "12 Mar 2026" in this zone. */
  date(at: string | Date | number): string {
    const time = timeOf(at);
    const quarter = Math.floor(time / QUARTER_MS);
    let text = this.shortDates.get(quarter);
    if (text === undefined) {
      text = this.shortDate.format(time);
      if (this.shortDates.size >= 10_000) this.shortDates.clear();
      this.shortDates.set(quarter, text);
    }
    return text;
  }

  /** "3 Nov, 14:05 UTC" (chat messages; the chat island writes the ones it adds the same way). */
  clock(at: string | Date): string {
    return `${this.clockFormat.format(asDate(at))} ${this.label}`;
  }

  /** "3 Dec, 18:00 to 19:30 UTC", or "3 Dec, 23:00 to 4 Dec, 01:00 UTC" (a chat session's window). */
  span(from: string | Date, to: string | Date): string {
    const start = this.clockFormat.format(asDate(from));
    const end = this.clockFormat.format(asDate(to));
    const sameDay = this.date(from) === this.date(to);
    return `${start} to ${sameDay ? end.replace(/^.*, /, '') : end} ${this.label}`;
  }

  /** "3 Dec 2026, 18:00 UTC" (moderation, notices with a deadline). */
  fullTime(at: string | Date | null | undefined): string {
    return at ? `${this.fullFormat.format(asDate(at))} ${this.label}` : '';
  }

  /** "2026-12-03T13:00": the moment as a `datetime-local` field in this zone shows it (to the minute). */
  field(at: string | Date | null | undefined): string {
    if (!at) return '';
    const ms = asDate(at).getTime();
    return new Date(ms + this.offset(ms)).toISOString().slice(0, 16);
  }

  /**
   * A `datetime-local` value ("2026-12-03T13:00") read as this zone's wall clock, as ISO-8601 UTC; anything else
   * as typed (the DTO refuses it by its own rule). A wall time a clock change skips reads an hour earlier.
   */
  fromField(value: string): string | undefined {
    const v = value.trim();
    if (v === '') return undefined;
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v)) return v;
    const wall = Date.parse(`${v.length === 16 ? `${v}:00` : v}.000Z`);
    if (Number.isNaN(wall)) return v;
    const first = wall - this.offset(wall);
    return new Date(wall - this.offset(first)).toISOString();
  }

  /** How far this zone's wall clock is ahead of UTC at `ms`, in ms. */
  private offset(ms: number): number {
    this.partsFormat ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.id,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    const p = Object.fromEntries(this.partsFormat.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    return wall - Math.floor(ms / 1000) * 1000;
  }

  /** "26 November 2026" (profiles: when a member joined). */
  longDate(at: string | Date): string {
    return this.longDateFormat.format(asDate(at));
  }
}

const clocks = new Map<string, ZoneClock>();

/** The clock of a zone, made once; an unknown zone (a stale stored value) reads as UTC rather than failing a page. */
export function zoneClock(zone: string | null | undefined): ZoneClock {
  const id = zone || 'UTC';
  let clock = clocks.get(id);
  if (clock === undefined) {
    const canonical = canonicalTimeZone(id) ?? 'UTC';
    clock = clocks.get(canonical) ?? new ZoneClock(canonical);
    if (clocks.size >= 1_000) clocks.clear();
    clocks.set(id, clock);
    clocks.set(canonical, clock);
  }
  return clock;
}

export const UTC = zoneClock('UTC');

/** Whose clock a page uses: the member's chosen zone, else UTC (guests, members who chose none). */
export function readerZone(reader: { timeZone?: string | null } | undefined): ZoneClock {
  return zoneClock(reader?.timeZone);
}

/** "UTC", or "New York time" from "America/New_York" (the zone's last part, as people name their clock). */
export function zoneLabel(zone: string): string {
  if (zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT') return 'UTC';
  const place = zone.split('/').pop()!.replace(/_/g, ' ');
  return `${place} time`;
}

const asDate = (at: string | Date) => (typeof at === 'string' ? new Date(at) : at);
/** The moment in ms, without making a Date of a string (a thread page reads twenty). */
const timeOf = (at: string | Date | number) =>
  typeof at === 'number' ? at : typeof at === 'string' ? Date.parse(at) : at.getTime();

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
