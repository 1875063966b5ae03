import { nextReminderAt } from './reminder-time';

const at = (iso: string) => new Date(iso);

describe(nextReminderAt.name, () => {
  it.each<[string, Parameters<typeof nextReminderAt>, string | null]>([
    ['off', [{ frequency: 'off', hour: 19, weekday: 1 }, null, at('2026-03-10T12:00:00Z')], null],
    [
      'daily, later today (UTC)',
      [{ frequency: 'daily', hour: 19, weekday: 1 }, null, at('2026-03-10T12:00:00Z')],
      '2026-03-10T19:00:00.000Z',
    ],
    [
      'daily, at the hour itself: tomorrow',
      [{ frequency: 'daily', hour: 19, weekday: 1 }, null, at('2026-03-10T19:00:00Z')],
      '2026-03-11T19:00:00.000Z',
    ],
    [
      'daily in New York (EDT, UTC-4)',
      [{ frequency: 'daily', hour: 8, weekday: 1 }, 'America/New_York', at('2026-07-01T13:00:00Z')],
      '2026-07-02T12:00:00.000Z',
    ],
    [
      'daily in Kolkata (UTC+5:30)',
      [{ frequency: 'daily', hour: 19, weekday: 1 }, 'Asia/Kolkata', at('2026-03-10T12:00:00Z')],
      '2026-03-10T13:30:00.000Z',
    ],
    [
      'daily across the London spring change',
      [{ frequency: 'daily', hour: 9, weekday: 1 }, 'Europe/London', at('2026-03-28T10:00:00Z')],
      '2026-03-29T08:00:00.000Z',
    ],
    // 2026-03-10 is a Tuesday.
    [
      'weekly on Monday',
      [{ frequency: 'weekly', hour: 19, weekday: 1 }, null, at('2026-03-10T12:00:00Z')],
      '2026-03-16T19:00:00.000Z',
    ],
    [
      'weekly on Tuesday, later today',
      [{ frequency: 'weekly', hour: 19, weekday: 2 }, null, at('2026-03-10T12:00:00Z')],
      '2026-03-10T19:00:00.000Z',
    ],
    [
      'weekly on Tuesday, just past',
      [{ frequency: 'weekly', hour: 9, weekday: 2 }, null, at('2026-03-10T12:00:00Z')],
      '2026-03-17T09:00:00.000Z',
    ],
    [
      'weekly on Sunday in Sydney',
      [{ frequency: 'weekly', hour: 18, weekday: 7 }, 'Australia/Sydney', at('2026-03-10T12:00:00Z')],
      '2026-03-15T07:00:00.000Z',
    ],
  ])('%s', (_what, args, expected) => {
    expect(nextReminderAt(...args)?.toISOString() ?? null).toBe(expected);
  });
});
