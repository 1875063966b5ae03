/** What a subscription follows: an article's comments, a category's new threads, a thread's replies, new articles. */
export const TARGET_TYPES = ['page', 'category', 'thread', 'newsletter'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

/** How often: each new item at once, or a digest at 08:00 in the subscriber's time zone. `off` ends it. */
export const FREQUENCIES = ['immediately', 'daily', 'weekly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];
export const FREQUENCY_CHOICES = [...FREQUENCIES, 'off'] as const;
export type FrequencyChoice = (typeof FREQUENCY_CHOICES)[number];

export const CONTENT_TYPES = ['thread', 'post', 'comment'] as const;

/** A confirmation link works for 7 days, and is sent again at most once an hour. */
export const CONFIRM_TTL_MS = 7 * 24 * 3600_000;
export const RESEND_AFTER_MS = 3600_000;
/** At most this many confirmation links an hour to one address, whatever it is asked to follow. */
export const CONFIRMATIONS_PER_HOUR = 3;

/** The unsubscribe scope registered with mail; its id is the subscription's id. */
export const UNSUBSCRIBE_SCOPE = 'subscription';

export const FANOUT_QUEUE = 'subscriptions.fanout';
export const DIGEST_QUEUE = 'subscriptions.digest';

/** The local hour at which digests go out. */
export const DIGEST_HOUR = 8;
