import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { notFound } from '../common/errors/domain-error';
import {
  type AfterCommit,
  type ContentForReview,
  ContentRegistry,
  type ModerationStatus,
} from '../publishing/content-registry';
import { ChatHub } from './chat-hub';
import type { MessageStatus } from './messages/chat-message.constants';
import { MessagesService } from './messages/messages.service';

/**
 * How moderation acts on chat messages (the queue, reports, auto-hide): load one for review, and move it between
 * states. Whoever is in the room sees it at once: a message leaving `published` is withdrawn (`message:deleted`
 * with its new status), one becoming `published` (approved, restored) is broadcast.
 */
@Injectable()
export class ChatMessageModeration implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: ContentRegistry,
    private readonly messages: MessagesService,
    private readonly hub: ChatHub,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      targetType: 'chat_message',
      load: (id) => this.load(id),
      loadMany: (ids) => this.loadMany(ids),
      setStatus: (id, status, m) => this.setStatus(id, status, m),
      // Chat messages have no edit.
      settleEdit: async () => undefined,
    });
  }

  /** A page of the queue's chat messages in one query. */
  private async loadMany(ids: string[]): Promise<ContentForReview[]> {
    const rows = (await this.db.query(
      `SELECT m.id, m.author_id AS "authorId", m.status, m.body, m.body_html AS "bodyHtml", m.created_at AS "createdAt",
              r.slug
         FROM chat_messages m JOIN chat_rooms r ON r.id = m.room_id WHERE m.id = ANY($1::bigint[])`,
      [ids],
    )) as Array<{
      id: string;
      authorId: string;
      status: MessageStatus;
      body: string;
      bodyHtml: string;
      createdAt: Date;
      slug: string;
    }>;
    return rows.map(forReview);
  }

  private async load(id: string): Promise<ContentForReview | undefined> {
    const m = await this.messages.load(id);
    return m && forReview(m);
  }

  private async setStatus(
    id: string,
    to: Exclude<ModerationStatus, 'pending'>,
    within?: EntityManager,
  ): Promise<AfterCommit> {
    const move = async (m: EntityManager) => {
      const rows = (await m.query(
        `SELECT m.status, m.room_id AS "roomId", r.slug FROM chat_messages m JOIN chat_rooms r ON r.id = m.room_id
          WHERE m.id = $1 FOR UPDATE OF m`,
        [id],
      )) as Array<{ status: MessageStatus; roomId: string; slug: string }>;
      const row = rows[0];
      if (!row) throw notFound('Chat message');
      if (row.status === to) return undefined;
      await m.query(
        `UPDATE chat_messages SET status = $2::varchar,
                deleted_at = CASE WHEN $2::varchar = 'deleted' THEN now() ELSE deleted_at END,
                held_reason = CASE WHEN $2::varchar = 'published' THEN NULL ELSE held_reason END
          WHERE id = $1`,
        [id, to],
      );
      return { from: row.status, roomId: row.roomId, slug: row.slug };
    };
    const changed = within ? await move(within) : await this.db.transaction(move);
    const after = async () => {
      if (!changed) return;
      if (to === 'published') await this.messages.announce(id);
      else if (changed.from === 'published' || changed.from === 'hidden') {
        this.hub.messageGone(changed.roomId, { id, room: changed.slug, status: to });
      }
    };
    if (within) return after;
    await after();
    return () => undefined;
  }
}

/** A chat message as moderators see it in the queue (never anonymous; linked to its room). */
function forReview(m: {
  id: string;
  authorId: string;
  status: MessageStatus;
  body: string;
  bodyHtml: string;
  createdAt: Date;
  slug: string;
}): ContentForReview {
  return {
    targetType: 'chat_message',
    targetId: m.id,
    authorId: m.authorId,
    status: m.status,
    anonymous: false,
    body: m.body,
    bodyHtml: m.bodyHtml,
    context: { room: m.slug },
    createdAt: m.createdAt,
  };
}
