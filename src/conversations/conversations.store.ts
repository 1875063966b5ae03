import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ActiveSanctions, type SanctionColumns, toActiveSanction } from '../common/auth/active-sanctions';
import { HeaderCounts } from '../common/auth/header-counts';
import type { Role } from '../common/auth/role';
import { prepared, queryPrepared } from '../database/prepared';
import { visibleSql } from '../publishing/content-policy';
import type { Member } from './conversation-member';
import type { ContextMessage } from '../publishing/content-registry';
import type { AcceptSetting, ConversationKind, ConversationMessageStatus } from './conversation.constants';
import { type ConversationRow, MESSAGE_COLUMNS, type MessageRow, UNREAD_CAP } from './conversation-views';

/** Her place in one conversation. */
export interface Participation {
  kind: ConversationKind;
  fromTeam: boolean;
  lastReadId: string;
  leftAt: Date | null;
}

export interface ListRow extends ConversationRow {
  /** The sort key, microseconds since the epoch, for the keyset cursor. */
  activityUs: string;
  last: MessageRow | null;
}

export interface NewMessage {
  conversationId: string;
  authorId: string;
  clientId: string;
  body: string;
  bodyHtml: string;
  status: 'published' | 'pending';
  heldReason: string | null;
  fromTeam: boolean;
}

/** A participant's unread count: published messages from others after her read mark, capped. */
const UNREAD_SQL = (p: string, reader: string) => `(SELECT count(*)::int FROM (
    SELECT 1 FROM conversation_messages um
     WHERE um.conversation_id = ${p}.conversation_id AND um.id > ${p}.last_read_id AND um.status = 'published'
       AND um.author_id <> ${reader}
     LIMIT ${UNREAD_CAP}) unread)`;

const PARTICIPANTS_SQL = (conversation: string) => `(SELECT json_agg(json_build_object(
      'username', pu.username, 'displayName', pu.display_name, 'left', pp.left_at IS NOT NULL)
      ORDER BY pp.joined_at, pp.user_id)
    FROM conversation_participants pp JOIN users pu ON pu.id = pp.user_id
   WHERE pp.conversation_id = ${conversation})`;

/**
 * Her list, one prepared statement: $1 her id, $2 the limit, $3 false (she reads as a member), and after a cursor
 * $4/$5 (activity in microseconds, conversation id). Two texts, the first page and the next, so that each keeps a
 * plan that seeks. Exported for the EXPLAIN check in the tests.
 */
const listStatement = (after: string) =>
  prepared(`SELECT c.id, c.kind, c.from_team AS "fromTeam", c.created_at AS "createdAt",
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
              AND ${visibleSql('item', 'm', { reader: 1, moderator: 3 })}
            ORDER BY m.id DESC LIMIT 1) last ON true
        WHERE p.user_id = $1 AND p.left_at IS NULL ${after}
          AND (last.row IS NOT NULL OR c.created_by = $1)
        ORDER BY p.last_activity_at DESC, p.conversation_id DESC
        LIMIT $2`);
export const LIST_FIRST = listStatement('');
export const LIST_AFTER = listStatement(
  `AND (p.last_activity_at, p.conversation_id) < ('epoch'::timestamptz + $4::bigint * interval '1 microsecond', $5::bigint)`,
);

/**
 * A page of history, one prepared statement (backward ordered by the whole of ix_conversation_messages_conversation,
 * so the planner never walks the primary key instead and filters; forward by uq_conversation_messages_pos): $1 the
 * conversation, $2 the reader, $3 false, $4 when she left (or null), $5 the limit, and $6 the cursor (a message id)
 * for the pages before or after one. Three texts, so that each keeps a plan that seeks. Exported for the EXPLAIN
 * check in the tests.
 */
const historyStatement = (cursor: string, forward: boolean) =>
  prepared(`SELECT ${MESSAGE_COLUMNS}
         FROM conversation_messages m JOIN users u ON u.id = m.author_id
        WHERE m.conversation_id = $1 ${cursor}
          AND ($4::timestamptz IS NULL OR m.created_at <= $4)
          AND ${visibleSql('item', 'm', { reader: 2, moderator: 3 })}
        ORDER BY m.conversation_id ${forward ? 'ASC' : 'DESC'}, ${forward ? 'm.pos ASC' : 'm.id DESC'}
        LIMIT $5`);

/**
 * Forward pages (catch-up, `?after=`) go by position, so a message published late with an older id is not missed;
 * the cursor is still a message id (what clients hold), turned into its position: that of the message `$4` names, or
 * for one that is gone (deleted with an account), the highest position among the conversation's messages up to it.
 */
const AFTER_POS_SQL = `COALESCE(
  (SELECT c.pos FROM conversation_messages c WHERE c.id = $6 AND c.conversation_id = $1),
  (SELECT max(c.pos) FROM conversation_messages c WHERE c.conversation_id = $1 AND c.id <= $6), 0)`;

export const HISTORY = {
  latest: historyStatement('', false),
  before: historyStatement('AND m.id < $6', false),
  after: historyStatement(`AND m.pos > ${AFTER_POS_SQL}`, true),
};

/** How many conversations the member `userId` (SQL) has with unread messages: the header's count. */
const unreadCountSql = (userId: string) => `SELECT count(*)::int FROM conversation_participants p
   WHERE p.user_id = ${userId} AND p.left_at IS NULL
     AND EXISTS (SELECT 1 FROM conversation_messages m
                  WHERE m.conversation_id = p.conversation_id AND m.id > p.last_read_id
                    AND m.status = 'published' AND m.author_id <> ${userId})`;

/**
 * The conversations feature's SQL, and the only code that touches its tables. Raw rows in and out: the list and the
 * history are hot reads (one statement each, keyset, index-only where they can be).
 */
@Injectable()
export class ConversationsStore {
  constructor(
    private readonly db: DataSource,
    private readonly sanctions: ActiveSanctions,
    headerCounts: HeaderCounts,
  ) {
    // Every signed-in page's Messages badge, read with her browser session (no round trip of its own).
    headerCounts.register({ name: 'unreadConversations', sql: unreadCountSql });
  }

  /** A member as she stands now (role, active sanction): a socket's events check this afresh every time. */
  async member(userId: string): Promise<Member | undefined> {
    const sanction = this.sanctions.sql('u.id');
    const rows = (await this.db.query(
      `SELECT u.id, u.username, u.display_name AS "displayName", u.role, ${sanction.columns}
         FROM users u ${sanction.join} WHERE u.id = $1`,
      [userId],
    )) as Array<SanctionColumns & { id: string; username: string; displayName: string; role: Role }>;
    const r = rows[0];
    return (
      r && { id: r.id, username: r.username, displayName: r.displayName, role: r.role, sanction: toActiveSanction(r) }
    );
  }

  async participation(conversationId: string, userId: string): Promise<Participation | undefined> {
    const rows = (await this.db.query(
      `SELECT c.kind, c.from_team AS "fromTeam", p.last_read_id AS "lastReadId", p.left_at AS "leftAt"
         FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
        WHERE p.conversation_id = $1 AND p.user_id = $2`,
      [conversationId, userId],
    )) as Participation[];
    return rows[0];
  }

  /** One conversation as this participant sees it. */
  async conversation(conversationId: string, userId: string): Promise<ConversationRow | undefined> {
    const rows = (await this.db.query(
      `SELECT c.id, c.kind, c.from_team AS "fromTeam", c.created_at AS "createdAt",
              p.last_activity_at AS "lastActivityAt", ${UNREAD_SQL('p', '$2')} AS unread,
              ${PARTICIPANTS_SQL('c.id')} AS participants
         FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
        WHERE p.conversation_id = $1 AND p.user_id = $2`,
      [conversationId, userId],
    )) as ConversationRow[];
    return rows[0];
  }

  /**
   * Her conversations, latest activity first, after the keyset `cursor` (activity in microseconds, id): one scan of
   * ix_conversation_participants_list, each row with its participants, unread count and latest message she can see.
   * A conversation whose opening message is still held is not listed to the others until it is published.
   */
  async list(
    userId: string,
    limit: number,
    cursor: { activityUs: string; id: string } | undefined,
  ): Promise<ListRow[]> {
    return queryPrepared<ListRow>(this.db, cursor ? LIST_AFTER : LIST_FIRST, [
      userId,
      limit + 1,
      false,
      ...(cursor ? [cursor.activityUs, cursor.id] : []),
    ]);
  }

  /**
   * A page of one conversation's messages as this participant sees them: by id, `after` (forward) or `before`
   * (backward, the latest without either), and nothing written after she left (`until`).
   */
  async history(
    conversationId: string,
    viewerId: string,
    until: Date | null,
    limit: number,
    cursor: { before?: string; after?: string },
  ): Promise<MessageRow[]> {
    const which = cursor.after !== undefined ? 'after' : cursor.before !== undefined ? 'before' : 'latest';
    return queryPrepared<MessageRow>(this.db, HISTORY[which], [
      conversationId,
      viewerId,
      false,
      until,
      limit + 1,
      ...(which === 'latest' ? [] : [cursor.after ?? cursor.before]),
    ]);
  }

  async message(id: string): Promise<MessageRow | undefined> {
    const rows = (await this.db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM conversation_messages m JOIN users u ON u.id = m.author_id WHERE m.id = $1`,
      [id],
    )) as MessageRow[];
    return rows[0];
  }

  async byClientId(conversationId: string, authorId: string, clientId: string): Promise<MessageRow | undefined> {
    const rows = (await this.db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM conversation_messages m JOIN users u ON u.id = m.author_id
        WHERE m.conversation_id = $1 AND m.author_id = $2 AND m.client_id = $3`,
      [conversationId, authorId, clientId],
    )) as MessageRow[];
    return rows[0];
  }

  /** A new conversation and its participants (the starter first). */
  async create(
    m: EntityManager,
    c: { kind: ConversationKind; createdBy: string; fromTeam: boolean; participantIds: string[] },
  ): Promise<string> {
    const [row] = (await m.query(
      `INSERT INTO conversations (kind, created_by, from_team) VALUES ($1, $2, $3) RETURNING id`,
      [c.kind, c.createdBy, c.fromTeam],
    )) as Array<{ id: string }>;
    await m.query(
      `INSERT INTO conversation_participants (conversation_id, user_id, joined_at)
       SELECT $1, u.id, now() + u.n * interval '1 microsecond'
         FROM unnest($2::bigint[]) WITH ORDINALITY AS u(id, n)`,
      [row.id, c.participantIds],
    );
    return row.id;
  }

  /**
   * Stores a message in one statement that first locks the conversation's row (held until the statement's
   * transaction commits), so ids in a conversation commit in the order they are given out and a client catching up
   * "after id N" never misses one; a published message moves every present participant's latest activity.
   * Undefined when this clientId was stored meanwhile (the unique index settles a race between two resends).
   */
  async insertMessage(m: EntityManager, msg: NewMessage): Promise<{ id: string; createdAt: Date } | undefined> {
    const rows = (await m.query(
      `WITH c AS (SELECT id FROM conversations WHERE id = $1 FOR UPDATE),
            ins AS (
              INSERT INTO conversation_messages
                     (conversation_id, author_id, client_id, body, body_html, status, held_reason, from_team)
              SELECT c.id, $2, $3, $4, $5, $6, $7, $8 FROM c
              ON CONFLICT (conversation_id, author_id, client_id) DO NOTHING
              RETURNING id, created_at),
            moved AS (
              UPDATE conversation_participants p SET last_activity_at = ins.created_at
                FROM ins WHERE $6 = 'published' AND p.conversation_id = $1 AND p.left_at IS NULL)
       SELECT id, created_at AS "createdAt" FROM ins`,
      [
        msg.conversationId,
        msg.authorId,
        msg.clientId,
        msg.body,
        msg.bodyHtml,
        msg.status,
        msg.heldReason,
        msg.fromTeam,
      ],
    )) as Array<{ id: string; createdAt: Date }>;
    return rows[0];
  }

  /** A message a moderator published later (approved): the conversation's activity moves to now. */
  async touch(m: EntityManager, conversationId: string): Promise<void> {
    await m.query(
      `UPDATE conversation_participants SET last_activity_at = now() WHERE conversation_id = $1 AND left_at IS NULL`,
      [conversationId],
    );
  }

  /** Who is in it now (not left). */
  async presentIds(conversationId: string): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT user_id AS id FROM conversation_participants WHERE conversation_id = $1 AND left_at IS NULL`,
      [conversationId],
    )) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /** Moves her read mark forward, never back, and never past the conversation's last message. */
  async markRead(conversationId: string, userId: string, upToId: string): Promise<void> {
    await this.db.query(
      `UPDATE conversation_participants p
          SET last_read_id = GREATEST(p.last_read_id, LEAST($3::bigint,
                (SELECT coalesce(max(m.id), 0) FROM conversation_messages m WHERE m.conversation_id = $1)))
        WHERE p.conversation_id = $1 AND p.user_id = $2 AND p.left_at IS NULL`,
      [conversationId, userId, upToId],
    );
  }

  async leave(conversationId: string, userId: string): Promise<boolean> {
    const rows = (await this.db.query(
      `UPDATE conversation_participants SET left_at = now()
        WHERE conversation_id = $1 AND user_id = $2 AND left_at IS NULL RETURNING user_id`,
      [conversationId, userId],
    )) as Array<{ user_id: string }>;
    return rows.length > 0;
  }

  /**
   * Takes her turn to start a conversation (an advisory lock until the transaction ends, so two processes cannot
   * both pass the limit), then counts what she started in the last 24 hours (care conversations never count).
   */
  async startedToday(m: EntityManager, userId: string): Promise<number> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('conversation-start:' || $1::text, 0))`, [userId]);
    const rows = (await m.query(
      `SELECT count(*)::int AS n FROM conversations
        WHERE created_by = $1 AND kind <> 'care' AND created_at > now() - interval '1 day'`,
      [userId],
    )) as Array<{ n: number }>;
    return rows[0]?.n ?? 0;
  }

  /** Each member's setting; members without a row are left out (the default applies). */
  async acceptSettings(userIds: string[]): Promise<Map<string, AcceptSetting>> {
    const rows = (await this.db.query(
      `SELECT user_id AS id, accept FROM conversation_settings WHERE user_id = ANY($1::bigint[])`,
      [userIds],
    )) as Array<{ id: string; accept: AcceptSetting }>;
    return new Map(rows.map((r) => [r.id, r.accept]));
  }

  async saveAccept(userId: string, accept: AcceptSetting): Promise<void> {
    await this.db.query(
      `INSERT INTO conversation_settings (user_id, accept) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE SET accept = EXCLUDED.accept, updated_at = now()`,
      [userId, accept],
    );
  }

  /** Which of `others` already share a conversation with `memberId` ("members she has talked with"). */
  async knownTo(memberId: string, others: string[]): Promise<Set<string>> {
    const rows = (await this.db.query(
      `SELECT DISTINCT b.user_id AS id
         FROM conversation_participants a JOIN conversation_participants b ON b.conversation_id = a.conversation_id
        WHERE a.user_id = $1 AND b.user_id = ANY($2::bigint[])`,
      [memberId, others],
    )) as Array<{ id: string }>;
    return new Set(rows.map((r) => r.id));
  }

  async setStatus(m: EntityManager, id: string, status: ConversationMessageStatus): Promise<void> {
    await m.query(
      `UPDATE conversation_messages SET status = $2::varchar,
              held_reason = CASE WHEN $2::varchar = 'published' THEN NULL ELSE held_reason END
        WHERE id = $1`,
      [id, status],
    );
  }

  /**
   * For moderators opening a report's context: the `n` published messages before and after it in its conversation,
   * and the message itself whatever its state, oldest first.
   */
  async contextAround(id: string, n: number): Promise<ContextMessage[]> {
    const rows = (await this.db.query(
      `WITH target AS (SELECT id, conversation_id FROM conversation_messages WHERE id = $1),
            around AS (
              (SELECT m.id FROM conversation_messages m, target t
                WHERE m.conversation_id = t.conversation_id AND m.id < t.id AND m.status = 'published'
                ORDER BY m.id DESC LIMIT $2)
              UNION ALL SELECT id FROM target
              UNION ALL
              (SELECT m.id FROM conversation_messages m, target t
                WHERE m.conversation_id = t.conversation_id AND m.id > t.id AND m.status = 'published'
                ORDER BY m.id ASC LIMIT $2))
       SELECT m.id, u.username, u.display_name AS "displayName", m.body, m.body_html AS "bodyHtml",
              m.created_at AS "createdAt", m.id = $1 AS "isTarget"
         FROM around a JOIN conversation_messages m ON m.id = a.id JOIN users u ON u.id = m.author_id
        ORDER BY m.id`,
      [id, n],
    )) as Array<Omit<ContextMessage, 'author'> & { username: string; displayName: string }>;
    return rows.map(({ username, displayName, ...r }) => ({ ...r, author: { username, displayName } }));
  }
}
