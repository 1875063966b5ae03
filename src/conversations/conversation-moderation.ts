import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { notFound } from '../common/errors/domain-error';
import { visibleSql } from '../publishing/content-policy';
import {
  type AfterCommit,
  type ContentForReview,
  ContentRegistry,
  type ModerationStatus,
} from '../publishing/content-registry';
import type { ConversationMessageStatus } from './conversation.constants';
import { messageView } from './conversation-views';
import { ConversationsLive } from './conversations-live';
import { ConversationsStore } from './conversations.store';

interface ReviewRow {
  id: string;
  conversationId: string;
  authorId: string;
  status: ConversationMessageStatus;
  body: string;
  bodyHtml: string;
  createdAt: Date;
}

const REVIEW_COLUMNS = `m.id, m.conversation_id AS "conversationId", m.author_id AS "authorId", m.status, m.body,
  m.body_html AS "bodyHtml", m.created_at AS "createdAt"`;

/**
 * How moderation acts on conversation messages: the queue (held, flagged, reported ones) loads them, moves them
 * between states, and (for a report) asks whether the reporter can see the message and for the few messages around
 * it. That context is the only way a moderator reads a private conversation; the caller audits each opening.
 * Participants see a change at once: `conversation:message` with the message as it now reads.
 */
@Injectable()
export class ConversationMessageModeration implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: ContentRegistry,
    private readonly store: ConversationsStore,
    private readonly live: ConversationsLive,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      targetType: 'conversation_message',
      load: async (id) => (await this.loadMany([id]))[0],
      loadMany: (ids) => this.loadMany(ids),
      setStatus: (id, status, m) => this.setStatus(id, status, m),
      // Conversation messages have no edit.
      settleEdit: async () => undefined,
      visibleTo: (userId, id) => this.visibleTo(userId, id),
      contextAround: (id, n) => this.store.contextAround(id, n),
    });
  }

  private async loadMany(ids: string[]): Promise<ContentForReview[]> {
    if (ids.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT ${REVIEW_COLUMNS} FROM conversation_messages m WHERE m.id = ANY($1::bigint[])`,
      [ids],
    )) as ReviewRow[];
    return rows.map((r) => ({
      targetType: 'conversation_message',
      targetId: r.id,
      authorId: r.authorId,
      status: r.status,
      anonymous: false,
      body: r.body,
      bodyHtml: r.bodyHtml,
      context: { conversationId: r.conversationId },
      createdAt: r.createdAt,
    }));
  }

  /** A participant sees it (as text or as a placeholder), and it was written before she left, if she did. */
  private async visibleTo(userId: string, id: string): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM conversation_messages m
         JOIN conversation_participants p ON p.conversation_id = m.conversation_id AND p.user_id = $1
        WHERE m.id = $2 AND (p.left_at IS NULL OR m.created_at <= p.left_at)
          AND ${visibleSql('item', 'm', { reader: 1, moderator: 3 })}`,
      [userId, id, false],
    )) as unknown[];
    return rows.length > 0;
  }

  private async setStatus(
    id: string,
    to: Exclude<ModerationStatus, 'pending'>,
    within?: EntityManager,
  ): Promise<AfterCommit> {
    const move = async (m: EntityManager) => {
      const rows = (await m.query(
        `SELECT status, conversation_id AS "conversationId" FROM conversation_messages WHERE id = $1 FOR UPDATE`,
        [id],
      )) as Array<{ status: ConversationMessageStatus; conversationId: string }>;
      const row = rows[0];
      if (!row) throw notFound('Conversation message');
      if (row.status === to) return undefined;
      await this.store.setStatus(m, id, to);
      if (to === 'published' && row.status === 'pending') await this.store.touch(m, row.conversationId);
      return { from: row.status, conversationId: row.conversationId };
    };
    const changed = within ? await move(within) : await this.db.transaction(move);
    const after = async () => {
      if (!changed) return;
      const row = await this.store.message(id);
      if (!row) return;
      // Whoever could see it before or can now: a held message was its author's only.
      const seenBy = changed.from === 'pending' && to !== 'published' ? [row.authorId] : undefined;
      const present = seenBy ?? (await this.store.presentIds(changed.conversationId));
      for (const userId of present) this.live.message([userId], messageView(row, userId));
    };
    if (within) return after;
    await after();
    return () => undefined;
  }
}
