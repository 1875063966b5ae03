import { localTime } from './notification-bundles';

/** A bundle goes when it is 08:00 where she lives: her date, hour and weekday at an instant, from her zone. */
describe(localTime.name, () => {
  it.each([
    // [instant (UTC), zone, her date, her hour, Monday]
    ['2026-12-07T08:00:00Z', null, '2026-12-07', 8, true],
    ['2026-12-06T23:00:00Z', 'Asia/Tokyo', '2026-12-07', 8, true],
    ['2026-12-07T13:00:00Z', 'America/New_York', '2026-12-07', 8, true],
    ['2026-07-06T12:00:00Z', 'America/New_York', '2026-07-06', 8, true], // summer time
    ['2026-12-07T03:00:00Z', 'Asia/Kolkata', '2026-12-07', 8, true], // 08:30: her one 8 o'clock hour
    ['2026-12-08T08:00:00Z', 'Europe/London', '2026-12-08', 8, false],
    ['2026-12-07T08:00:00Z', 'Not/AZone', '2026-12-07', 8, true], // unknown zones count as UTC
  ] as const)('%s in %s is %s, hour %d (Monday: %s)', (at, zone, date, hour, monday) => {
    expect(localTime(new Date(at), zone)).toEqual({ date, hour, monday });
  });
});
