import { Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { PickType } from '@nestjs/swagger';
import { AuthService } from '../../auth/auth.service';
import { CLIENT_ID_PATTERN, SendMessageDto } from '../../chat/messages/dto/message.dto';
import { MessagesService } from '../../chat/messages/messages.service';
import { RoomsService } from '../../chat/rooms/rooms.service';
import { CurrentUser } from '../../common/auth/auth.decorators';
import { Intent } from '../../common/auth/intent';
import type { Principal } from '../../common/auth/principal';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { ChatRoomPages } from './chat-room-page';
import { newClientId, pageConnection } from './chat-view';

interface MessageForm {
  body: string;
  clientId: string;
}

/** The composer's part of the socket's message (its rules and messages); the room is in the address. */
class MessageFormDto extends PickType(SendMessageDto, ['body', 'clientId'] as const) {}

const MESSAGE_FORM = {
  dto: MessageFormDto,
  typed: (form: unknown): MessageForm => {
    // The form's own id for this message (a resend stores nothing new); a missing or mangled one gets a fresh id.
    const given = field(form, 'clientId');
    return { body: field(form, 'body'), clientId: CLIENT_ID_PATTERN.test(given) ? given : newClientId() };
  },
};

/**
 * The live support rooms in a browser. The pages render everything (rooms, history, who is here) and the composer
 * posts like any form; the chat island then makes the room live over the same Socket.IO namespace as other clients,
 * with a short-lived token for the browser's own session. Guests see the rooms but not what is said in them, as
 * the API allows.
 */
@WebController('chat')
export class ChatPagesController {
  constructor(
    private readonly pages: ChatRoomPages,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Page('chat/rooms', {
    description: 'Live support rooms: talk with others living with metastatic breast cancer and their carers.',
  })
  list(@CurrentUser() me?: Principal) {
    return this.pages.list(me);
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
    return this.pages.room(slug, me, { before, support: support === '1' });
  }

  /** The composer without JavaScript: the same service, rules and pacing as a socket's `message:send`. */
  @Post(':slug/messages')
  @MembersOnly()
  @HttpCode(200)
  @Page('chat/room')
  async send(
    @Param('slug') slug: string,
    @Form(MESSAGE_FORM) form: Submitted<MessageForm, MessageFormDto>,
    @CurrentUser() me: Principal,
  ) {
    const room = await this.rooms.bySlug(slug);
    return submit(
      form,
      async (input) => {
        const sent = await this.messages.send(pageConnection(me), { ...input, room: room.slug });
        const to = `/chat/${room.slug}${sent.notice ? '?support=1' : ''}#m-${sent.message.id}`;
        const flash =
          sent.status === 'pending'
            ? 'Your message is waiting for a moderator to look at it; others will see it once approved.'
            : undefined;
        return redirect(to, flash);
      },
      // Muted, kicked or a closed session (forbidden) is explained above the form too, with the text kept.
      (refused) =>
        this.pages.room(room.slug, me, {
          draft: {
            ...form.typed,
            error: refused.message,
            errorField: refused.field === 'body' ? 'body' : undefined,
            status: refused.status,
            retryAfterSeconds: refused.retryAfterSeconds,
          },
        }),
      ['forbidden'],
    );
  }
}
