import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { hasRole } from '../common/auth/principal';
import { badInput, forbidden, notFound } from '../common/errors/domain-error';
import { renderMarkdown } from '../common/markdown/markdown';
import { decodeCursor, encodeCursor } from '../common/pagination';
import { countLinks } from '../publishing/links';
import { heldReasonText, type PublishingDecision, PublishingGate } from '../publishing/publishing-gate';
import type { GateReason } from '../publishing/review-sink';
import { UsersService } from '../users/users.service';
import { ConversationConsent } from './conversation-consent';
import type { ConversationJoined } from './conversation-events';
import type { Member } from './conversation-member';
import { type AcceptSetting, DEFAULT_ACCEPT, MAX_PARTICIPANTS, MESSAGE_MAX_LENGTH } from './conversation.constants';
import {
  type ConversationMessageView,
  type ConversationSummary,
  type ConversationView,
  conversationView,
  type MessageRow,
  messageView,
} from './conversation-views';
import { ConversationsLive } from './conversations-live';
import { ConversationsStore, type Participation } from './conversations.store';

/** A join without `sinceId` shows this many of the latest messages. */
export const JOIN_LATEST = 50;
/** A join with `sinceId` returns at most this many missed messages (`more: true` beyond). */
export const CATCH_UP_MAX = 500;

export interface Sent {
  message: ConversationMessageView;
  status: 'published' | 'pending';
  /** Support resources, when the message touched on crisis. */
  notice?: string;
  /** This clientId had already been sent: the message stored then. */
  duplicate?: true;
}
export interface Started extends Sent {
  conversation: ConversationView;
}
export interface MessagePage {
  /** Oldest first. */
  items: ConversationMessageView[];
  /** With `?after=`: the next `after`; otherwise the next `before`. Null at the end. */
  nextCursor: string | null;
  more: boolean;
}
export interface ConversationPage {
  items: ConversationSummary[];
  nextCursor: string | null;
}

/**
 * Private conversations: starting one (consent, blocks, new members, the daily limit), sending (through the
 * publishing gate, idempotent by the client's id), reading (her list, one conversation, history, read marks),
 * leaving, and her consent setting. Nobody but participants reads a conversation: every read starts from her own
 * participant row, and a missing one is 404 whatever the reason.
 */
@Injectable()
export class ConversationsService {
  constructor(
    private readonly db: DataSource,
    private readonly store: ConversationsStore,
    private readonly consent: ConversationConsent,
    private readonly gate: PublishingGate,
    private readonly users: UsersService,
    private readonly live: ConversationsLive,
  ) {}

  /** Starts a conversation with its first message; the others see it once that message is published. */
  async start(me: Member, input: { usernames: string[]; body: string; clientId: string }): Promise<Started> {
    const others = await this.othersByUsername(me, input.usernames);
    this.checkBody(input.body);
    await this.consent.assertMayStart(me, others);
    const decision = await this.decide(me, input.body);
    const { conversationId, row, recorded } = await this.db.transaction(async (m) => {
      await this.consent.assertDailyLimit(m, me);
      const id = await this.store.create(m, {
        kind: others.length === 1 ? 'direct' : 'group',
        createdBy: me.id,
        fromTeam: false,
        participantIds: [me.id, ...others.map((o) => o.id)],
      });
      const written = await this.write(m, id, me, input, decision, false);
      return { conversationId: id, ...written };
    });
    recorded.announce();
    const message = messageView(row, me.id);
    const everyone = [me.id, ...others.map((o) => o.id)];
    this.live.message(decision.status === 'published' ? everyone : [me.id], message);
    return { conversation: await this.get(me, conversationId), ...this.sent(message, decision) };
  }

  /**
   * Checks, in order: her place in it (404 otherwise); a resend of a stored clientId (the stored message, whatever
   * else changed); that she has not left; the length; her sanction and blocks either way with anyone still in it;
   * the publishing gate. Then stores and delivers: a published message to every present participant, a held one to
   * her only.
   */
  async send(
    me: Member,
    conversationId: string,
    input: { body: string; clientId: string },
    socketId?: string,
  ): Promise<Sent> {
    const place = await this.place(conversationId, me.id);
    const earlier = await this.store.byClientId(conversationId, me.id, input.clientId);
    if (earlier) return { message: messageView(earlier, me.id), status: statusOf(earlier), duplicate: true };
    if (place.leftAt) throw forbidden('You left this conversation');
    this.checkBody(input.body);
    const present = await this.store.presentIds(conversationId);
    await this.consent.assertMaySend(
      me,
      present.filter((id) => id !== me.id),
    );
    const decision = await this.decide(me, input.body);
    const fromTeam = place.fromTeam && hasRole(me, 'moderator');
    const held = decision.status === 'pending' || decision.review;
    const run = (m: EntityManager) => this.write(m, conversationId, me, input, decision, fromTeam);
    let written;
    try {
      written = held ? await this.db.transaction(run) : await run(this.db.manager);
    } catch (err) {
      if (!(err instanceof RaceLost)) throw err;
      const stored = await this.store.byClientId(conversationId, me.id, input.clientId);
      if (!stored) throw err;
      return { message: messageView(stored, me.id), status: statusOf(stored), duplicate: true };
    }
    written.recorded.announce();
    const message = messageView(written.row, me.id);
    this.live.message(decision.status === 'published' ? present : [me.id], message, socketId);
    return this.sent(message, decision);
  }

  /** Her conversations, latest activity first, each with its unread count; keyset paged. */
  async list(me: Member, query: { limit?: number; cursor?: string }): Promise<ConversationPage> {
    const limit = query.limit ?? 20;
    const key = decodeCursor(query.cursor, 'ui');
    const rows = await this.store.list(
      me.id,
      limit,
      key ? { activityUs: key[0] as string, id: key[1] as string } : undefined,
    );
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    const last = kept[kept.length - 1];
    return {
      items: kept.map((r) => ({
        ...conversationView(r),
        lastMessage: r.last ? messageView({ ...r.last, createdAt: new Date(r.last.createdAt) }, me.id) : null,
      })),
      nextCursor: more && last ? encodeCursor([last.activityUs, last.id]) : null,
    };
  }

  async get(me: Member, conversationId: string): Promise<ConversationView> {
    const row = await this.store.conversation(conversationId, me.id);
    if (!row) throw notFound('Conversation');
    return conversationView(row);
  }

  /** History by id, oldest first within a page; a member who left reads up to when she left. */
  async history(
    me: Member,
    conversationId: string,
    query: { before?: string; after?: string; limit?: number },
  ): Promise<MessagePage> {
    if (query.before !== undefined && query.after !== undefined) {
      throw badInput('before', 'and after cannot be used together');
    }
    const place = await this.place(conversationId, me.id);
    return this.page(conversationId, me, place, query.limit ?? 30, query);
  }

  /** For a socket join: the latest messages, or exactly those after `sinceId` (at most CATCH_UP_MAX). */
  async forJoin(me: Member, conversationId: string, sinceId: string | undefined): Promise<ConversationJoined> {
    const place = await this.place(conversationId, me.id);
    const [conversation, page] = await Promise.all([
      this.get(me, conversationId),
      sinceId === undefined
        ? this.page(conversationId, me, place, JOIN_LATEST, {})
        : this.page(conversationId, me, place, CATCH_UP_MAX, { after: sinceId }),
    ]);
    return { conversation, messages: page.items, more: page.more };
  }

  async markRead(me: Member, conversationId: string, upToId: string): Promise<void> {
    const place = await this.place(conversationId, me.id);
    if (place.leftAt) throw forbidden('You left this conversation');
    await this.store.markRead(conversationId, me.id, upToId);
  }

  /** She leaves: no more messages reach her, and she reads nothing written after; the others see "left". */
  async leave(me: Member, conversationId: string): Promise<void> {
    await this.place(conversationId, me.id);
    if (!(await this.store.leave(conversationId, me.id))) return;
    this.live.left(await this.store.presentIds(conversationId), conversationId, me.username);
  }

  async settings(userId: string): Promise<{ accept: AcceptSetting }> {
    const settings = await this.store.acceptSettings([userId]);
    return { accept: settings.get(userId) ?? DEFAULT_ACCEPT };
  }

  async updateSettings(userId: string, input: { accept: AcceptSetting }): Promise<{ accept: AcceptSetting }> {
    await this.store.saveAccept(userId, input.accept);
    return { accept: input.accept };
  }

  /**
   * A care conversation from the moderation queue: the moderator and the member, marked as from the moderation
   * team, whatever the member's consent setting (she can still leave or block). The caller (moderation) checks the
   * moderator's rights and writes the audit entry. The text is the team's own, so it does not pass the gate.
   */
  async startCare(input: {
    moderatorId: string;
    memberId: string;
    body: string;
    itemId: string;
  }): Promise<{ conversation: ConversationView; message: ConversationMessageView }> {
    if (input.moderatorId === input.memberId) throw badInput('memberId', 'is the moderator');
    this.checkBody(input.body);
    const [moderator, member] = await Promise.all([
      this.store.member(input.moderatorId),
      this.store.member(input.memberId),
    ]);
    if (!moderator || !hasRole(moderator, 'moderator')) throw forbidden('Only a moderator may reach out');
    if (!member) throw notFound('Member');
    const decision: PublishingDecision = { status: 'published', reasons: [], review: false };
    const { conversationId, row } = await this.db.transaction(async (m) => {
      const id = await this.store.create(m, {
        kind: 'care',
        createdBy: moderator.id,
        fromTeam: true,
        participantIds: [moderator.id, input.memberId],
      });
      const clientId = `care-${input.itemId}`;
      return {
        conversationId: id,
        ...(await this.write(m, id, moderator, { body: input.body, clientId }, decision, true)),
      };
    });
    const message = messageView(row, moderator.id);
    this.live.message([moderator.id, input.memberId], message);
    return { conversation: await this.get(moderator, conversationId), message };
  }

  /** A member as she stands now, for socket events (the handshake's principal may be stale). */
  async memberNow(userId: string): Promise<Member> {
    const member = await this.store.member(userId);
    if (!member) throw notFound('Member');
    return member;
  }

  // ---- steps ---------------------------------------------------------------------------------------------------

  /** Her participant row, or 404: nobody learns whether a conversation they are not in exists. */
  private async place(conversationId: string, userId: string): Promise<Participation> {
    const place = await this.store.participation(conversationId, userId);
    if (!place) throw notFound('Conversation');
    return place;
  }

  private async othersByUsername(me: Member, usernames: string[]): Promise<Array<{ id: string; username: string }>> {
    const seen = new Set<string>();
    for (const name of usernames) {
      if (name === me.username) throw badInput('usernames', 'must not include you: you are added yourself');
      if (seen.has(name)) throw badInput('usernames', `names @${name} twice`);
      seen.add(name);
    }
    if (seen.size > MAX_PARTICIPANTS - 1) {
      throw badInput('usernames', `must name at most ${MAX_PARTICIPANTS - 1} members`);
    }
    const ids = await this.users.idsByUsername([...seen]);
    const names = await this.users.namesById(ids);
    const byName = new Map([...names].map(([id, n]) => [n.username, id]));
    const missing = [...seen].find((name) => !byName.has(name));
    if (missing) throw badInput('usernames', `includes @${missing}, and no member has that username`);
    return [...seen].map((username) => ({ id: byName.get(username)!, username }));
  }

  private checkBody(body: string): void {
    const length = [...body].length;
    if (length > MESSAGE_MAX_LENGTH) {
      throw badInput('body', `must be at most ${MESSAGE_MAX_LENGTH} characters (it has ${length})`);
    }
    if (!/\S/.test(body)) throw badInput('body', 'must not be empty');
  }

  /** The gate decides, as for every content: watched words, and a new member's links held (the spam signal). */
  private async decide(me: Member, body: string): Promise<PublishingDecision> {
    const links = countLinks(body);
    const signals: GateReason[] =
      links > 0 && (await this.gate.isNewMember(me)) ? [{ code: 'spam', signal: 'links', count: links }] : [];
    return this.gate.decide({
      kind: 'conversation_message',
      action: 'create',
      author: { id: me.id, role: me.role },
      text: body,
      approval: 'none',
      signals,
    });
  }

  /** Stores the message and, for held or flagged ones, its queue entry on the same transaction. */
  private async write(
    m: EntityManager,
    conversationId: string,
    me: Member,
    input: { body: string; clientId: string },
    decision: PublishingDecision,
    fromTeam: boolean,
  ) {
    const bodyHtml = renderMarkdown(input.body);
    const heldReason = decision.status === 'pending' ? heldReasonText(decision.reasons) : null;
    const inserted = await this.store.insertMessage(m, {
      conversationId,
      authorId: me.id,
      clientId: input.clientId,
      body: input.body,
      bodyHtml,
      status: decision.status,
      heldReason,
      fromTeam,
    });
    if (!inserted) throw new RaceLost();
    const recorded = await this.gate.record(
      m,
      { targetType: 'conversation_message', targetId: inserted.id, text: input.body },
      decision,
    );
    const row: MessageRow = {
      id: inserted.id,
      conversationId,
      authorId: me.id,
      username: me.username,
      displayName: me.displayName,
      fromTeam,
      body: input.body,
      bodyHtml,
      clientId: input.clientId,
      status: decision.status,
      heldReason,
      createdAt: inserted.createdAt,
    };
    return { row, recorded };
  }

  private async page(
    conversationId: string,
    me: Member,
    place: Participation,
    limit: number,
    cursor: { before?: string; after?: string },
  ): Promise<MessagePage> {
    const forward = cursor.after !== undefined;
    const rows = await this.store.history(conversationId, me.id, place.leftAt, limit, cursor);
    const more = rows.length > limit;
    const kept = more ? rows.slice(0, limit) : rows;
    if (!forward) kept.reverse();
    const items = kept.map((r) => messageView(r, me.id));
    const edge = forward ? items[items.length - 1] : items[0];
    return { items, nextCursor: more && edge ? edge.id : null, more };
  }

  private sent(message: ConversationMessageView, decision: PublishingDecision): Sent {
    return { message, status: decision.status, ...(decision.notice ? { notice: decision.notice } : {}) };
  }
}

/** The clientId was stored by a racing resend: its copy is the answer. */
class RaceLost extends Error {}

const statusOf = (r: MessageRow): 'published' | 'pending' => (r.status === 'pending' ? 'pending' : 'published');
