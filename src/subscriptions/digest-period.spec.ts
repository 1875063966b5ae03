import { validTimeZone } from '../common/time/wall-clock';
import { latestDigest } from './digest-period';

describe('latestDigest', () => {
  const cases: Array<{ now: string; zone: string | null; frequency: 'daily' | 'weekly'; period: string; to: string }> =
    [
      // UTC: before 08:00 the latest digest is yesterday's; from 08:00, today's.
      {
        now: '2026-12-04T07:59:00Z',
        zone: null,
        frequency: 'daily',
        period: '2026-12-03',
        to: '2026-12-03T08:00:00.000Z',
      },
      {
        now: '2026-12-04T08:00:00Z',
        zone: 'UTC',
        frequency: 'daily',
        period: '2026-12-04',
        to: '2026-12-04T08:00:00.000Z',
      },
      // New York in winter (UTC-5): 08:00 local is 13:00 UTC.
      {
        now: '2026-12-04T12:30:00Z',
        zone: 'America/New_York',
        frequency: 'daily',
        period: '2026-12-03',
        to: '2026-12-03T13:00:00.000Z',
      },
      {
        now: '2026-12-04T13:10:00Z',
        zone: 'America/New_York',
        frequency: 'daily',
        period: '2026-12-04',
        to: '2026-12-04T13:00:00.000Z',
      },
      // A half-hour zone, ahead of UTC: 08:00 in Kolkata is 02:30 UTC.
      {
        now: '2026-12-04T03:00:00Z',
        zone: 'Asia/Kolkata',
        frequency: 'daily',
        period: '2026-12-04',
        to: '2026-12-04T02:30:00.000Z',
      },
      // Summer time in London (UTC+1).
      {
        now: '2026-07-01T07:30:00Z',
        zone: 'Europe/London',
        frequency: 'daily',
        period: '2026-07-01',
        to: '2026-07-01T07:00:00.000Z',
      },
      // Weekly: the latest Monday 08:00 (2026-11-30 was a Monday).
      {
        now: '2026-12-04T10:00:00Z',
        zone: null,
        frequency: 'weekly',
        period: '2026-11-30',
        to: '2026-11-30T08:00:00.000Z',
      },
      {
        now: '2026-11-30T07:00:00Z',
        zone: null,
        frequency: 'weekly',
        period: '2026-11-23',
        to: '2026-11-23T08:00:00.000Z',
      },
      // An unknown zone counts as UTC.
      {
        now: '2026-12-04T09:00:00Z',
        zone: 'Mars/Base',
        frequency: 'daily',
        period: '2026-12-04',
        to: '2026-12-04T08:00:00.000Z',
      },
    ];
  it.each(cases)('$frequency at $now in $zone: $period', ({ now, zone, frequency, period, to }) => {
    const d = latestDigest(new Date(now), zone, frequency);
    expect({ period: d.period, to: d.to.toISOString() }).toEqual({ period, to });
    const days = frequency === 'daily' ? 1 : 7;
    // A window is a day or a week long, give or take a summer-time hour.
    expect(Math.abs(d.to.getTime() - d.from.getTime() - days * 86_400_000)).toBeLessThanOrEqual(3_600_000);
  });

  it('knows an IANA zone from a made-up one', () => {
    expect(validTimeZone('Europe/Paris')).toBe(true);
    expect(validTimeZone('Mars/Base')).toBe(false);
  });
});
