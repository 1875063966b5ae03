/** The journal's bounds, one home each (the DTOs, the service and the pages read them here). */
export const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** The earliest day a journal may hold. */
export const FIRST_DAY = '2000-01-01';
/** The longest period one request reads (entries, summary, a share): two years. */
export const MAX_PERIOD_DAYS = 731;
/** The period read when none is given: two weeks up to today. */
export const DEFAULT_PERIOD_DAYS = 14;

export const TEMPERATURE_MIN_C = 34;
export const TEMPERATURE_MAX_C = 43;
export const MEDICINES_MAX = 30;
export const MEDICINE_MAX_LENGTH = 80;
export const NOTE_MAX_LENGTH = 2000;
export const SYMPTOM_NOTE_MAX_LENGTH = 200;
export const CARE_NUMBERS_MAX = 5;

export const SHARE_DAYS_MAX = 30;
/** Live (unrevoked, unexpired) shares a member may hold at once. */
export const LIVE_SHARES_MAX = 20;
/** Views listed with each share (newest first). */
export const SHARE_VIEWS_LISTED = 50;

export const REMINDER_FREQUENCIES = ['off', 'daily', 'weekly'] as const;
export type ReminderFrequency = (typeof REMINDER_FREQUENCIES)[number];
export const DEFAULT_REMINDER_HOUR = 19;
