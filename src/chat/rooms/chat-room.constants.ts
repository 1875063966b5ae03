/** The vocabulary of chat-room rows, kept apart from the entity class so other modules may import it. */
export const ROOM_KINDS = ['open', 'session'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];
export const ROOM_APPROVALS = ['none', 'new_members', 'all'] as const;
export type RoomApproval = (typeof ROOM_APPROVALS)[number];
