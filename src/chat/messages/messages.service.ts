import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { hasRole, type Principal } from '../../common/auth/principal';
import { badInput, forbidden, notFound } from '../../common/errors/domain-error';
import { EVENTS } from '../../common/events';
import { renderMarkdown } from '../../common/markdown/markdown';
import { TypedEvents } from '../../common/typed-events';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';
import { notBlockedSql, visibleSql } from '../../publishing/content-policy';
import { heldReasonText, PublishingGate } from '../../publishing/publishing-gate';
import { ChatAccess, type Standing } from '../chat-access';
import type { ChatConnection } from '../chat-connection';
import type { ChatMessageView, MessageSent } from '../chat-events';
import { ChatHub } from '../chat-hub';
import { ChatPacing } from '../chat-pacing';
import type { HistoryQueryDto } from '../rooms/dto/room.dto';
import { type RoomRow, RoomsService } from '../rooms/rooms.service';
import type { DeleteMessageDto, SendMessageDto } from './dto/message.dto';
import { MESSAGE_COLUMNS, type MessageRow, messageView } from './message-view';

/** A join without `sinceId` shows this many of the latest messages. */
export const JOIN_LATEST = 50;
/** A join with `sinceId` returns at most this many missed messages (`more: true` beyond). */
export const CATCH_UP_MAX = 500;

type Viewer = { id: string; moderator: boolean };

export interface MessagePage {
  /** Oldest first. */
  items: ChatMessageView[];
  /** With `?after=`: pass it as the next `after`; otherwise pass it as the next `before`. Null at the end. */
  nextCursor: string | null;
  more: boolean;
}

/**
 * Chat messages: sending (through the publishing gate, idempotent by the client's id), deleting, history and
 * catch-up. Reads follow the content policy: the viewer's blocks apply (chat is never anonymous), deleted and
 * hidden messages keep their place as placeholders.
 */
@Injectable()
export class MessagesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly rooms: RoomsService,
    private readonly access: ChatAccess,
    private readonly pacing: ChatPacing,
    private readonly gate: PublishingGate,
    private readonly hub: ChatHub,
    private readonly events: TypedEvents,
  ) {}

  /**
   * Checks, in order: the room and that this connection joined it; a resend of a stored clientId (answered with the
   * stored message, whatever else has changed); the length; the member's standing now (sanction, mute, kick); the
   * session window; the publishing gate (watched words); slow mode and the rate limit. Then stores and broadcasts.
   *
   * Two round trips for a new message: one read of everything the checks and the broadcast need (ChatAccess's
   * `forMessage`), and the one statement that stores it; the answer is built from what is in hand.
   */
  async send(conn: ChatConnection, input: SendMessageDto): Promise<MessageSent> {
    const context = await this.access.forMessage(conn.member.userId, input.room, input.clientId);
    const { room, author } = context;
    if (!conn.inRoom(room.id)) throw forbidden(`Join the room "${room.slug}" before sending to it`);
    if (context.resent) {
      const earlier = await this.byClientId(room, author.userId, input.clientId);
      if (earlier) return earlier;
    }
    const length = [...input.body].length;
    if (length > this.config.chatMaxLength) {
      throw badInput('body', `must be at most ${this.config.chatMaxLength} characters (it has ${length})`);
    }
    if (!/\S/.test(input.body)) throw badInput('body', 'must not be empty');
    this.access.assertMayWrite(author);
    this.rooms.assertAcceptingMessages(room);
    const decision = await this.gate.decide({
      kind: 'chat_message',
      action: 'create',
      author: { id: author.userId, role: author.role },
      text: input.body,
      approval: room.approval,
      isNewMember: context.isNewMember,
    });
    try {
      await this.pacing.beforeMessage(author, room, context.isNewMember);
    } catch (err) {
      // A resend racing its first copy: the first one's answer is the right one.
      const stored = await this.byClientId(room, author.userId, input.clientId);
      if (stored) return stored;
      throw err;
    }

    const heldReason = decision.status === 'pending' ? heldReasonText(decision.reasons) : null;
    // A message the gate holds or flags commits together with its queue entry; the others need no transaction.
    const write = async (m: EntityManager) => {
      const inserted = await this.insert(m, room, author, input, decision.status, heldReason);
      const recorded = inserted
        ? await this.gate.record(m, { targetType: 'chat_message', targetId: inserted.id, text: input.body }, decision)
        : undefined;
      return { row: inserted, recorded };
    };
    const written = this.gate.needsRecord(decision) ? await this.db.transaction(write) : await write(this.db.manager);
    const blockedBy = decision.status === 'published' ? context.blockedBy : [];
    const row = written.row;
    if (!row) {
      const earlierCopy = await this.byClientId(room, author.userId, input.clientId);
      if (earlierCopy) return earlierCopy;
      throw notFound('Message');
    }
    written.recorded?.announce();
    const message = messageView(row, room.slug, viewerOf(author));
    if (decision.status === 'published') this.hub.message(room.id, message, blockedBy, conn.id);
    else this.hub.messageToAuthor(author.userId, message, conn.id);
    this.events.emit(EVENTS.chatMessageSent, {
      messageId: row.id,
      roomId: room.id,
      authorId: author.userId,
      status: decision.status,
    });
    return { message, status: decision.status, ...(decision.notice ? { notice: decision.notice } : {}) };
  }

  /** Soft delete by the author or a moderator; everyone in the room is told. */
  async remove(conn: ChatConnection, input: DeleteMessageDto): Promise<{ id: string; room: string }> {
    const target = await this.load(input.id);
    if (!target || target.status === 'deleted' || target.status === 'rejected') throw notFound('Message');
    const actor = await this.access.standing(conn.member.userId, target.roomId);
    const own = target.authorId === actor.userId;
    const moderator = hasRole(actor, 'moderator');
    if (!own && !moderator) {
      if (target.status === 'pending') throw notFound('Message');
      throw forbidden('Only the author or a moderator may delete this message');
    }
    if (own && !moderator) this.access.assertNotSanctioned(actor);
    else this.access.assertModerator(actor, 'delete this message');
    await this.db.query(
      `UPDATE chat_messages SET status = 'deleted', deleted_at = now() WHERE id = $1 AND status <> 'deleted'`,
      [target.id],
    );
    this.hub.messageGone(target.roomId, { id: target.id, room: target.slug, status: 'deleted' });
    if (!own) {
      this.events.emit(EVENTS.contentModerated, {
        actorId: actor.userId,
        action: 'delete',
        targetType: 'chat_message',
        targetId: target.id,
      });
    }
    return { id: target.id, room: target.slug };
  }

  /** REST history: keyset pages by id, oldest first within a page. */
  async history(viewer: Principal, slug: string, query: HistoryQueryDto): Promise<MessagePage> {
    if (query.before !== undefined && query.after !== undefined) {
      throw badInput('before', 'and after cannot be used together');
    }
    const room = await this.rooms.bySlug(slug);
    // the same "may read this room" rule as joining it over the socket: a kick or a sanction keeps the history shut
    this.access.assertMayEnter(await this.access.standing(viewer.id, room.id));
    const limit = query.limit ?? 20;
    return this.page(room, { id: viewer.id, moderator: hasRole(viewer, 'moderator') }, limit, query);
  }

  /** For a join: the latest messages, or exactly those after `sinceId` (at most CATCH_UP_MAX). */
  async forJoin(room: RoomRow, viewer: Standing, sinceId: string | undefined): Promise<MessagePage> {
    return sinceId === undefined
      ? this.page(room, viewerOf(viewer), JOIN_LATEST, {})
      : this.page(room, viewerOf(viewer), CATCH_UP_MAX, { after: sinceId });
  }

  /** A message became visible (sent, or approved or restored by a moderator): the room hears of it. */
  async announce(messageId: string): Promise<void> {
    const row = await this.load(messageId);
    if (!row || row.status !== 'published') return;
    await this.broadcast(row, { id: row.roomId, slug: row.slug });
  }

  async load(id: string): Promise<(MessageRow & { slug: string }) | undefined> {
    const rows = (await this.db.query(
      `SELECT ${MESSAGE_COLUMNS}, r.slug
         FROM chat_messages m JOIN users u ON u.id = m.author_id JOIN chat_rooms r ON r.id = m.room_id
        WHERE m.id = $1`,
      [id],
    )) as Array<MessageRow & { slug: string }>;
    return rows[0];
  }

  private async broadcast(row: MessageRow, room: { id: string; slug: string }, exceptSocketId?: string) {
    const blockedBy = await this.access.blockersOf(row.authorId);
    this.hub.message(room.id, messageView(row, room.slug, undefined), blockedBy, exceptSocketId);
  }

  /**
   * Stores the message in one statement that first locks the room's row: the lock is held until the statement's
   * transaction commits, so ids in a room are committed in the order they are given out, and a client catching up
   * with "after id N" can never miss a message that committed late with a lower id. Undefined when this clientId
   * was stored meanwhile (the unique index settles a race between two resends).
   */
  private async insert(
    m: EntityManager,
    room: RoomRow,
    author: Standing,
    input: SendMessageDto,
    status: 'published' | 'pending',
    heldReason: string | null,
  ): Promise<MessageRow | undefined> {
    const bodyHtml = renderMarkdown(input.body);
    const rows = (await m.query(
      `WITH room AS (UPDATE chat_rooms SET last_message_at = now() WHERE id = $1 RETURNING id)
       INSERT INTO chat_messages (room_id, author_id, client_id, body, body_html, status, held_reason)
       SELECT room.id, $2, $3, $4, $5, $6, $7 FROM room
       ON CONFLICT (room_id, author_id, client_id) DO NOTHING
       RETURNING id, created_at AS "createdAt"`,
      [room.id, author.userId, input.clientId, input.body, bodyHtml, status, heldReason],
    )) as Array<{ id: string; createdAt: Date }>;
    const r = rows[0];
    return (
      r && {
        id: r.id,
        roomId: room.id,
        authorId: author.userId,
        username: author.username,
        displayName: author.displayName,
        body: input.body,
        bodyHtml,
        clientId: input.clientId,
        status,
        heldReason,
        createdAt: r.createdAt,
      }
    );
  }

  /** The message this member already sent with this clientId, as the answer to a resend. */
  private async byClientId(room: RoomRow, authorId: string, clientId: string): Promise<MessageSent | undefined> {
    const rows = (await this.db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages m JOIN users u ON u.id = m.author_id
        WHERE m.room_id = $1 AND m.author_id = $2 AND m.client_id = $3`,
      [room.id, authorId, clientId],
    )) as MessageRow[];
    const r = rows[0];
    if (!r) return undefined;
    // The author sees their own message as stored (deleted: a placeholder), like in the history.
    return {
      message: messageView(r, room.slug, { id: authorId, moderator: false }),
      status: r.status,
      duplicate: true,
    };
  }

  private async page(
    room: { id: string; slug: string },
    viewer: Viewer,
    limit: number,
    cursor: { before?: string; after?: string },
  ): Promise<MessagePage> {
    const forward = cursor.after !== undefined;
    // Forward (catch-up, `?after=`): by position, so a message published late with an older id is not missed; the
    // cursor is still a message id (what clients hold), turned into its position here. Backward: by id (history).
    const rows = (await this.db.query(
      `SELECT ${MESSAGE_COLUMNS}
         FROM chat_messages m JOIN users u ON u.id = m.author_id
        WHERE m.room_id = $1
          AND ($4::bigint IS NULL OR m.pos > ${AFTER_POS_SQL}) AND ($5::bigint IS NULL OR m.id < $5)
          AND ${visibleSql('item', 'm', { reader: 2, moderator: 3 })}
          AND ${notBlockedSql('m', 2, { anonymous: false })}
        ORDER BY ${forward ? 'm.pos ASC' : 'm.id DESC'}
        LIMIT $6`,
      [room.id, viewer.id, viewer.moderator, cursor.after ?? null, cursor.before ?? null, limit + 1],
    )) as MessageRow[];
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    if (!forward) kept.reverse();
    const items = kept.map((r) => messageView(r, room.slug, viewer));
    const edge = forward ? items[items.length - 1] : items[0];
    return { items, nextCursor: more && edge ? edge.id : null, more };
  }
}

/**
 * The position after which a forward page starts: that of the message `$4` names in room `$1`; for a message that is
 * gone (an account deleted with its messages), the highest position among the room's messages up to that id.
 */
const AFTER_POS_SQL = `COALESCE(
  (SELECT c.pos FROM chat_messages c WHERE c.id = $4 AND c.room_id = $1),
  (SELECT max(c.pos) FROM chat_messages c WHERE c.room_id = $1 AND c.id <= $4), 0)`;

const viewerOf = (s: Standing): Viewer => ({ id: s.userId, moderator: hasRole(s, 'moderator') });
