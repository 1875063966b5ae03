/** The vocabulary of thread rows, kept apart from the entity class so other modules may import it. */
export const CONTENT_STATUSES = ['published', 'pending', 'hidden', 'deleted', 'rejected'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];
