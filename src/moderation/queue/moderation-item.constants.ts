/** The vocabulary of moderation-item rows, kept apart from the entity class so other modules may import it. */
export const RESOLUTIONS = ['approve', 'reject', 'hide', 'restore', 'delete', 'dismiss'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];
