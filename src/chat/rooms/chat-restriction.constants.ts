/** The vocabulary of chat-restriction rows, kept apart from the entity class so other modules may import it. */
export const RESTRICTION_KINDS = ['mute', 'kick'] as const;
export type RestrictionKind = (typeof RESTRICTION_KINDS)[number];
