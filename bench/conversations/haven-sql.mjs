/**
 * Haven's SQL for the two measured routes, copied from src/conversations/conversations.store.ts (list, history,
 * participation), with the pieces Haven builds from shared code taken from the built dist/ itself (the visibility
 * rule, the message columns), so that the bare server runs the very same statements. The benchmark checks that
 * both servers answer the same JSON before it measures.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../lib/util.mjs';

const require = createRequire(import.meta.url);
const { visibleSql } = require(path.join(ROOT, 'dist', 'publishing', 'content-policy.js'));
const views = require(path.join(ROOT, 'dist', 'conversations', 'conversation-views.js'));

export const { MESSAGE_COLUMNS, UNREAD_CAP, messageView, conversationView } = views;

export { SESSION_SQL } from '../forum/haven-sql.mjs';

const UNREAD_SQL = (p, reader) => `(SELECT count(*)::int FROM (
    SELECT 1 FROM conversation_messages um
     WHERE um.conversation_id = ${p}.conversation_id AND um.id > ${p}.last_read_id AND um.status = 'published'
       AND um.author_id <> ${reader}
     LIMIT ${UNREAD_CAP}) unread)`;

const PARTICIPANTS_SQL = (conversation) => `(SELECT json_agg(json_build_object(
      'username', pu.username, 'displayName', pu.display_name, 'left', pp.left_at IS NOT NULL)
      ORDER BY pp.joined_at, pp.user_id)
    FROM conversation_participants pp JOIN users pu ON pu.id = pp.user_id
   WHERE pp.conversation_id = ${conversation})`;

export const LIST_SQL = `SELECT c.id, c.kind, c.from_team AS "fromTeam", c.created_at AS "createdAt",
              p.last_activity_at AS "lastActivityAt",
              (extract(epoch FROM p.last_activity_at) * 1000000)::bigint::text AS "activityUs",
              ${UNREAD_SQL('p', '$1')} AS unread,
              ${PARTICIPANTS_SQL('p.conversation_id')} AS participants,
              last.row AS last
         FROM conversation_participants p
         JOIN conversations c ON c.id = p.conversation_id
         LEFT JOIN LATERAL (
           SELECT json_build_object('id', m.id::text, 'conversationId', m.conversation_id::text,
                    'authorId', m.author_id::text, 'username', u.username, 'displayName', u.display_name,
                    'fromTeam', m.from_team, 'body', m.body, 'bodyHtml', m.body_html, 'clientId', m.client_id,
                    'status', m.status, 'heldReason', m.held_reason, 'createdAt', m.created_at) AS row
             FROM conversation_messages m JOIN users u ON u.id = m.author_id
            WHERE m.conversation_id = p.conversation_id
              AND ${visibleSql('item', 'm', { reader: 1, moderator: 5 })}
            ORDER BY m.id DESC LIMIT 1) last ON true
        WHERE p.user_id = $1 AND p.left_at IS NULL
          AND ($2::bigint IS NULL
               OR (p.last_activity_at, p.conversation_id)
                  < ('epoch'::timestamptz + $2::bigint * interval '1 microsecond', $3::bigint))
          AND (last.row IS NOT NULL OR c.created_by = $1)
        ORDER BY p.last_activity_at DESC, p.conversation_id DESC
        LIMIT $4`;

export const PARTICIPATION_SQL = `SELECT c.kind, c.from_team AS "fromTeam", p.last_read_id AS "lastReadId", p.left_at AS "leftAt"
         FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
        WHERE p.conversation_id = $1 AND p.user_id = $2`;

export const HISTORY_SQL = (forward) => `SELECT ${MESSAGE_COLUMNS}
         FROM conversation_messages m JOIN users u ON u.id = m.author_id
        WHERE m.conversation_id = $1
          AND ($4::bigint IS NULL OR m.id > $4) AND ($5::bigint IS NULL OR m.id < $5)
          AND ($6::timestamptz IS NULL OR m.created_at <= $6)
          AND ${visibleSql('item', 'm', { reader: 2, moderator: 3 })}
        ORDER BY m.id ${forward ? 'ASC' : 'DESC'}
        LIMIT $7`;
