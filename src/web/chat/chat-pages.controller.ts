import { Body, Get, Header, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { AuthService } from '../../auth/auth.service';
import { ChatAccess } from '../../chat/chat-access';
import { CLIENT_ID_PATTERN, SendMessageDto } from '../../chat/messages/dto/message.dto';
import { MessagesService } from '../../chat/messages/messages.service';
import { PresenceService } from '../../chat/presence/presence.service';
import { HistoryQueryDto } from '../../chat/rooms/dto/room.dto';
import { roomView, RoomsService } from '../../chat/rooms/rooms.service';
import { CurrentUser } from '../../common/auth/auth.decorators';
import { Intent } from '../../common/auth/intent';
import type { Principal } from '../../common/auth/principal';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { field, formRefusal, validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { messageItems, newClientId, pageConnection, roomSchedule, when } from './chat-view';

/** The room page's form, when it comes back with a problem: what was typed, and why it was not sent. */
interface Draft {
  body: string;
  clientId: string;
  error: string;
  status: number;
  retryAfterSeconds?: number;
}

/**
 * The live support rooms in a browser. The pages render everything (rooms, history, who is here) and the composer
 * posts like any form; the chat island then makes the room live over the same Socket.IO namespace as other clients,
 * with a short-lived token for the browser's own session. Guests see the rooms but not what is said in them, as
 * the API allows.
 */
@WebController('chat')
export class ChatPagesController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly presence: PresenceService,
    private readonly access: ChatAccess,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Page('chat/rooms', {
    description: 'Live support rooms: talk with others living with metastatic breast cancer and their carers.',
  })
  async list() {
    const now = new Date();
    const rooms = await Promise.all(
      (await this.rooms.list()).map(async (room) => ({
        ...room,
        schedule: roomSchedule(room, now),
        here: await this.hereNow(room.id),
      })),
    );
    return view('Chat rooms', { rooms });
  }

  /** A token for the chat socket's handshake, for this browser's own session (islands ask for it, with CSRF). */
  @Intent('read')
  @Post('socket-token')
  @MembersOnly()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  socketToken(@CurrentUser() me: Principal) {
    return this.auth.socketToken(me);
  }

  @Get(':slug')
  @Page('chat/room')
  async room(
    @Param('slug') slug: string,
    @Query('before') before?: string,
    @Query('support') support?: string,
    @CurrentUser() me?: Principal,
  ) {
    return this.renderRoom(slug, me, { before, support: support === '1' });
  }

  /** The composer without JavaScript: the same service, rules and pacing as a socket's `message:send`. */
  @Post(':slug/messages')
  @MembersOnly()
  @HttpCode(200)
  @Page('chat/room')
  async send(@Param('slug') slug: string, @Body() form: Record<string, unknown>, @CurrentUser() me: Principal) {
    const room = await this.rooms.bySlug(slug);
    const body = field(form, 'body');
    // The form's own id for this message (a resend stores nothing new); a missing or mangled one gets a fresh id.
    const given = field(form, 'clientId');
    const clientId = CLIENT_ID_PATTERN.test(given) ? given : newClientId();
    try {
      const input = await validated(SendMessageDto, { room: room.slug, body, clientId });
      const sent = await this.messages.send(pageConnection(me), input);
      const to = `/chat/${room.slug}${sent.notice ? '?support=1' : ''}#m-${sent.message.id}`;
      const flash =
        sent.status === 'pending'
          ? 'Your message is waiting for a moderator to look at it; others will see it once approved.'
          : undefined;
      return redirect(to, flash);
    } catch (err) {
      // Muted, kicked or a closed session (forbidden) is explained above the form too, with the text kept.
      const refused = formRefusal(err, ['forbidden']);
      const draft = {
        body,
        clientId,
        error: refused.message,
        status: refused.status,
        retryAfterSeconds: refused.retryAfterSeconds,
      };
      return this.renderRoom(room.slug, me, { draft });
    }
  }

  private async renderRoom(
    slug: string,
    me: Principal | undefined,
    options: { before?: string; support?: boolean; draft?: Draft },
  ) {
    const row = await this.rooms.bySlug(slug);
    const room = roomView(row, new Date());
    const schedule = roomSchedule(room);
    const description = room.description || `The ${room.name} live support room.`;
    if (!me) {
      const here = await this.hereNow(room.id);
      return view(room.name, { room, schedule, here }, { description });
    }

    const standing = await this.access.standing(me.id, room.id);
    this.access.assertMayEnter(standing);
    const query = await validated(HistoryQueryDto, { limit: 50, before: options.before });
    const [history, presence] = await Promise.all([
      this.messages.history(me, room.slug, query),
      this.presence.members(room.id).catch(() => undefined),
    ]);
    const messages = messageItems(history.items, me);
    const archive = options.before !== undefined;
    const draft = options.draft;
    return view(
      archive ? `Earlier in ${room.name}` : room.name,
      {
        room,
        schedule,
        messages,
        archive,
        olderCursor: history.nextCursor,
        lastId: history.items[history.items.length - 1]?.id ?? '',
        presence,
        mutedUntil: standing.mutedUntil ? when(standing.mutedUntil) : undefined,
        silenced: standing.sanction?.kind === 'silence',
        maxLength: this.config.chatMaxLength,
        support: options.support ? this.config.moderation.crisisSupportText : undefined,
        body: draft?.body ?? '',
        clientId: draft?.clientId ?? newClientId(),
        error: draft?.error,
      },
      {
        islands: archive ? [] : ['chat'],
        status: draft?.status,
        retryAfterSeconds: draft?.retryAfterSeconds,
        noindex: true,
        description,
      },
    );
  }

  /** How many members are in a room now; unknown (undefined) when presence cannot be read at the moment. */
  private async hereNow(roomId: string): Promise<number | undefined> {
    return this.presence.members(roomId).then(
      (p) => p.count,
      () => undefined,
    );
  }
}
