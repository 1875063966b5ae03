/** The vocabulary of chat-message rows, kept apart from the entity class so other modules may import it. */
export const MESSAGE_STATUSES = ['published', 'pending', 'hidden', 'deleted', 'rejected'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
