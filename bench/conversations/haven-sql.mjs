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

/**
 * The list and history statements, as the conversations store exports them (its plan-checked SQL): Haven runs them as
 * prepared statements; the bare server runs the same texts unnamed (as `pool.query(text, values)` does), or
 * prepared too with BENCH_BARE_PREPARED=1.
 */
const store = require(path.join(ROOT, 'dist', 'conversations', 'conversations.store.js'));
export const LIST = { first: store.LIST_FIRST.text, after: store.LIST_AFTER.text };
export const HISTORY = {
  latest: store.HISTORY.latest.text,
  before: store.HISTORY.before.text,
  after: store.HISTORY.after.text,
};

export const PARTICIPATION_SQL = `SELECT c.kind, c.from_team AS "fromTeam", p.last_read_id AS "lastReadId", p.left_at AS "leftAt"
         FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
        WHERE p.conversation_id = $1 AND p.user_id = $2`;
