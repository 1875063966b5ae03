/** The vocabulary of chat-room rows, kept apart from the entity class; approvals are the content policy's. */
import { APPROVALS, type Approval } from '../../publishing/content-policy';

export const ROOM_KINDS = ['open', 'session'] as const;
export type RoomKind = (typeof ROOM_KINDS)[number];
export const ROOM_APPROVALS = APPROVALS;
export type RoomApproval = Approval;
