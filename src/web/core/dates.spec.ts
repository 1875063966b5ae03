import { ago } from './dates';

describe('ago', () => {
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
  ])('%s reads as %s', (at, expected) => {
    expect(ago(at, now)).toBe(expected);
    expect(ago(new Date(at), now)).toBe(expected); // the remembered text, from a Date this time
  });

  it('refuses an invalid date as Intl does, every time', () => {
    expect(() => ago('not a date', now)).toThrow(RangeError);
    expect(() => ago('not a date', now)).toThrow(RangeError);
  });
});
