import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { MAX_PARTICIPANTS } from '../../conversations/conversation.constants';
import { ConversationsService } from '../../conversations/conversations.service';
import { ConversationHistoryQueryDto } from '../../conversations/dto/conversation.dto';
import { readerZone } from '../core/dates';
import { type FormRefusal, validated } from '../core/forms';
import { view } from '../core/page-result';
import { conversationReadInHeader, unreadConversationsOf } from '../core/pages';
import { knownId, messageItem, newClientId, others, summaryItem, titleOf } from './conversation-view';

/** How many conversations a page of her list shows, and how many messages a page of a conversation. */
const CONVERSATIONS_PER_PAGE = 20;
const MESSAGES_PER_PAGE = 50;

/** The new-conversation form as typed. */
export interface StartForm {
  usernames: string;
  body: string;
  clientId: string;
}

/** The reply form as typed. */
export interface ReplyForm {
  body: string;
  clientId: string;
}

/**
 * The view models of the conversation pages (templates conversations/*): her list, a conversation with its history
 * and reply form, starting one. Every read goes through ConversationsService, which answers 404 to anyone who is
 * not in the conversation.
 */
@Injectable()
export class ConversationPages {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly conversations: ConversationsService,
  ) {}

  async list(me: Principal, cursor: string | undefined) {
    const zone = readerZone(me);
    const page = await this.conversations.list(me, { limit: CONVERSATIONS_PER_PAGE, cursor: cursor || undefined });
    // The count the header shows, read with her session.
    const unread = unreadConversationsOf(me);
    return view('Messages', {
      items: page.items.map((c) => summaryItem(c, me, zone)),
      nextCursor: page.nextCursor,
      first: !cursor,
      unread,
    });
  }

  startForm(form: StartForm, extra: { preview?: string; problem?: FormRefusal } = {}) {
    return view(
      'Start a conversation',
      { form, preview: extra.preview, problem: extra.problem, maxOthers: MAX_PARTICIPANTS - 1 },
      { status: extra.problem?.status ?? 200, retryAfterSeconds: extra.problem?.retryAfterSeconds },
    );
  }

  /**
   * A conversation: the latest messages (newest at the bottom) or, with `before`, the page of earlier ones; her
   * read mark moves to the newest message she is shown. A refused reply comes back with what she typed.
   */
  async conversation(
    me: Principal,
    id: string,
    options: { before?: string; form?: ReplyForm; problem?: FormRefusal; support?: boolean } = {},
  ) {
    knownId(id);
    const query = await validated(ConversationHistoryQueryDto, { limit: MESSAGES_PER_PAGE, before: options.before });
    const [conversation, history] = await Promise.all([
      this.conversations.get(me, id),
      this.conversations.history(me, id, query),
    ]);
    const zone = readerZone(me);
    const archive = options.before !== undefined;
    const left = conversation.participants.some((p) => p.username === me.username && p.left === true);
    // Her read mark moves to the newest message on the page, when something there was new to her.
    const newest = history.items[history.items.length - 1];
    if (!archive && !left && newest && conversation.unread > 0) {
      await this.conversations.markRead(me, id, newest.id);
      conversationReadInHeader(me);
    }
    const people = others(conversation, me);
    const nobodyLeft = people.length > 0 && people.every((p) => p.left);
    return view(
      archive ? `Earlier: ${titleOf(conversation, me)}` : titleOf(conversation, me),
      {
        conversation,
        others: people,
        left,
        archive,
        messages: history.items.map((m) => messageItem(m, me, zone)),
        olderCursor: history.nextCursor,
        canWrite: !left && !nobodyLeft,
        cannotWrite: left
          ? 'You left this conversation.'
          : 'Everyone else has left this conversation, so a reply would reach nobody.',
        support: options.support ? this.config.moderation.crisisSupportText : undefined,
        form: options.form ?? { body: '', clientId: newClientId() },
        problem: options.problem,
      },
      {
        islands: archive ? [] : ['conversation'],
        status: options.problem?.status,
        retryAfterSeconds: options.problem?.retryAfterSeconds,
        noindex: true,
      },
    );
  }

  /** The confirmation before leaving. */
  async leaving(me: Principal, id: string) {
    const conversation = await this.conversations.get(me, knownId(id));
    return view('Leave this conversation?', { id: conversation.id, title: titleOf(conversation, me) });
  }
}
