/** The vocabulary of sanction rows, kept apart from the entity class so other modules may import it. */
export const SANCTION_KINDS = ['silence', 'suspend', 'ban'] as const;
export type SanctionKind = (typeof SANCTION_KINDS)[number];
