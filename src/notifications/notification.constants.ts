/** The vocabulary of notification rows, kept apart from the entity class so other modules may import it. */
export const NOTIFICATION_KINDS = ['reply', 'mention', 'moderation'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
