import { canonicalTimeZone as canonicalZone } from '../../common/time/time-zone';
import { readerZone, UTC, zoneClock, zoneLabel } from './dates';

describe('ZoneClock.ago', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');

  it.each([
    ['2026-12-04T11:59:30Z', 'just now'],
    ['2026-12-04T11:55:00Z', '5 minutes ago'],
    ['2026-12-04T11:00:00Z', '1 hour ago'],
    ['2026-12-03T10:00:00Z', 'yesterday'],
    ['2026-11-30T12:00:00Z', '4 days ago'],
    ['2026-03-12T00:00:00Z', '12 Mar 2026'],
    ['2026-03-12T23:59:59Z', '12 Mar 2026'],
    ['2026-03-13T00:00:00Z', '13 Mar 2026'],
    ['1969-12-31T23:59:59Z', '31 Dec 1969'],
    ['1970-01-01T00:00:00Z', '1 Jan 1970'],
  ])('%s reads as %s in UTC', (at, expected) => {
    expect(UTC.ago(at, now)).toBe(expected);
    expect(UTC.ago(new Date(at), now)).toBe(expected); // the remembered text, from a Date this time
  });

  it.each([
    ['America/New_York', '2026-03-13T03:00:00Z', '12 Mar 2026'],
    ['America/New_York', '2026-03-13T05:00:00Z', '13 Mar 2026'],
    ['Asia/Kolkata', '2026-03-12T18:29:00Z', '12 Mar 2026'],
    ['Asia/Kolkata', '2026-03-12T18:30:00Z', '13 Mar 2026'],
    ['Asia/Kathmandu', '2026-03-12T18:14:59Z', '12 Mar 2026'],
    ['Asia/Kathmandu', '2026-03-12T18:15:00Z', '13 Mar 2026'],
  ])('in %s, %s is dated %s (remembered by quarter hour, never across a local midnight)', (zone, at, expected) => {
    const clock = zoneClock(zone);
    expect(clock.ago(at, now)).toBe(expected);
    expect(clock.ago(at, now)).toBe(expected);
  });

  it('refuses an invalid date as Intl does, every time', () => {
    expect(() => UTC.ago('not a date', now)).toThrow(RangeError);
    expect(() => UTC.ago('not a date', now)).toThrow(RangeError);
  });
});

describe('ZoneClock', () => {
  const at = '2026-12-03T18:00:00Z';

  it('writes times in the zone and names it', () => {
    expect(UTC.clock(at)).toBe('3 Dec, 18:00 UTC');
    expect(UTC.fullTime(at)).toBe('3 Dec 2026, 18:00 UTC');
    const ny = zoneClock('America/New_York');
    expect(ny.clock(at)).toBe('3 Dec, 13:00 New York time');
    expect(ny.span(at, '2026-12-03T19:30:00Z')).toBe('3 Dec, 13:00 to 14:30 New York time');
    expect(ny.span(at, '2026-12-04T06:00:00Z')).toBe('3 Dec, 13:00 to 4 Dec, 01:00 New York time');
    expect(ny.fullTime(at)).toBe('3 Dec 2026, 13:00 New York time');
    expect(zoneClock('Australia/Sydney').longDate(at)).toBe('4 December 2026');
    expect(UTC.fullTime(null)).toBe('');
  });

  it('is made once per zone; aliases share the canonical clock; unknown or missing zones read as UTC', () => {
    expect(zoneClock('Europe/Paris')).toBe(zoneClock('Europe/Paris'));
    expect(zoneClock('US/Eastern')).toBe(zoneClock('America/New_York'));
    expect(readerZone(undefined)).toBe(UTC);
    expect(readerZone({ timeZone: null })).toBe(UTC);
    expect(readerZone({ timeZone: 'Mars/Base' })).toBe(UTC);
    expect(readerZone({ timeZone: 'Europe/Paris' }).id).toBe('Europe/Paris');
  });

  it('reads and writes datetime-local fields in the zone, across a clock change', () => {
    const ny = zoneClock('America/New_York');
    expect(ny.field('2031-01-15T18:00:00.000Z')).toBe('2031-01-15T13:00');
    expect(ny.fromField('2031-01-15T13:00')).toBe('2031-01-15T18:00:00.000Z');
    expect(ny.fromField('2031-07-15T13:00')).toBe('2031-07-15T17:00:00.000Z');
    expect(zoneClock('Asia/Kathmandu').fromField('2031-01-15T05:45')).toBe('2031-01-15T00:00:00.000Z');
    // 02:30 on the night New York springs forward does not exist: it reads as 01:30, just before the change.
    expect(ny.fromField('2031-03-09T02:30')).toBe('2031-03-09T06:30:00.000Z');
    expect(UTC.fromField('2031-01-15T13:00')).toBe('2031-01-15T13:00:00.000Z');
    expect(UTC.fromField('  ')).toBeUndefined();
    expect(UTC.fromField('tomorrow')).toBe('tomorrow');
    expect(UTC.field(null)).toBe('');
  });

  it.each([
    ['UTC', 'UTC'],
    ['America/New_York', 'New York time'],
    ['America/Argentina/Buenos_Aires', 'Buenos Aires time'],
  ])('labels %s as %s', (zone, label) => expect(zoneLabel(zone)).toBe(label));

  it('knows IANA zones by their canonical names, and nothing else', () => {
    expect(canonicalZone('utc')).toBe('UTC');
    expect(canonicalZone('europe/london')).toBe('Europe/London');
    expect(canonicalZone('Mars/Base')).toBeUndefined();
    expect(canonicalZone('')).toBeUndefined();
  });
});
