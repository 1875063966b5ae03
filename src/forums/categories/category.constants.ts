/** The vocabulary of category rows, kept apart from the entity class so other modules may import it. */
export const APPROVAL_POLICIES = ['none', 'new_members', 'all'] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];
