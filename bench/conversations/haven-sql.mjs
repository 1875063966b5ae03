/**
 * Haven's SQL for the measured routes: the list and history statements as src/conversations/conversations.store.ts
 * exports them (taken from the built dist/), the participation check copied from it, the session lookup as the
 * forum benchmark copies it. The benchmark checks, through the statement recorder, that both servers run the same
 * statements and answer the same JSON before it measures.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../lib/util.mjs';

const require = createRequire(import.meta.url);
const views = require(path.join(ROOT, 'dist', 'conversations', 'conversation-views.js'));

export const { messageView, conversationView } = views;

export { SESSION_SQL } from '../forum/haven-sql.mjs';

/** The list and history statements, as the conversations store exports them (its EXPLAIN-checked SQL). */
const store = require(path.join(ROOT, 'dist', 'conversations', 'conversations.store.js'));
export const LIST_SQL = store.LIST_SQL;
export const HISTORY_SQL = store.historySql;

export const PARTICIPATION_SQL = `SELECT c.kind, c.from_team AS "fromTeam", p.last_read_id AS "lastReadId", p.left_at AS "leftAt"
         FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
        WHERE p.conversation_id = $1 AND p.user_id = $2`;
