/** The vocabulary of post-reaction rows, kept apart from the entity class so other modules may import it. */
export const REACTION_KINDS = ['support', 'hug', 'same', 'thanks'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];
