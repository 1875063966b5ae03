import { withholdsText } from '../../publishing/content-policy';
import type { ChatMessageView } from '../chat-events';
import type { MessageStatus } from './chat-message.constants';

export interface MessageRow {
  id: string;
  roomId: string;
  authorId: string;
  username: string;
  displayName: string;
  body: string;
  bodyHtml: string;
  clientId: string;
  status: MessageStatus;
  heldReason: string | null;
  createdAt: Date;
}

export const MESSAGE_COLUMNS = `m.id, m.room_id AS "roomId", m.author_id AS "authorId", u.username,
  u.display_name AS "displayName", m.body, m.body_html AS "bodyHtml", m.client_id AS "clientId", m.status,
  m.held_reason AS "heldReason", m.created_at AS "createdAt"`;

/** What a viewer sees: deleted messages (and hidden ones, for members) keep their place without their text. */
export function messageView(
  r: MessageRow,
  room: string,
  viewer: { id: string; moderator: boolean } | undefined,
): ChatMessageView {
  const withheld = withholdsText(r, viewer);
  const own = viewer?.id === r.authorId;
  return {
    id: r.id,
    room,
    author: { username: r.username, displayName: r.displayName },
    body: withheld ? null : r.body,
    bodyHtml: withheld ? '' : r.bodyHtml,
    clientId: r.clientId,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    ...(r.status === 'pending' && r.heldReason && (own || viewer?.moderator) ? { heldReason: r.heldReason } : {}),
  };
}
