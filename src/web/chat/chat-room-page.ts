import { Inject, Injectable } from '@nestjs/common';
import { ChatAccess } from '../../chat/chat-access';
import { MessagesService } from '../../chat/messages/messages.service';
import { PresenceService } from '../../chat/presence/presence.service';
import { HistoryQueryDto } from '../../chat/rooms/dto/room.dto';
import { roomView, RoomsService } from '../../chat/rooms/rooms.service';
import type { Principal } from '../../common/auth/principal';
import { validateDto } from '../../common/validation/validate-dto';
import type { AppConfig } from '../../config/config';
import { APP_CONFIG } from '../../config/config.module';
import { view, type View } from '../core/page-result';
import { readerZone } from '../core/dates';
import { messageItems, newClientId, roomSchedule } from './chat-view';

/** The room page's form, when it comes back with a problem: what was typed, and why it was not sent. */
export interface Draft {
  body: string;
  clientId: string;
  error: string;
  /** The form field the error is about (`body`), when it names one: the summary links to it. */
  errorField?: string;
  status: number;
  retryAfterSeconds?: number;
}

/**
 * The view models of the chat pages (templates chat/rooms and chat/room): the rooms with who is in them, and a
 * room with its history, presence, the member's standing and the composer.
 */
@Injectable()
export class ChatRoomPages {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly presence: PresenceService,
    private readonly access: ChatAccess,
  ) {}

  async list(me: Principal | undefined): Promise<View> {
    const now = new Date();
    const zone = readerZone(me);
    const rooms = await Promise.all(
      (await this.rooms.list()).map(async (room) => ({
        ...room,
        schedule: roomSchedule(room, zone, now),
        here: await this.hereNow(room.id),
      })),
    );
    return view('Chat rooms', { rooms });
  }

  async room(slug: string, me: Principal | undefined, options: { before?: string; support?: boolean; draft?: Draft }) {
    const row = await this.rooms.bySlug(slug);
    const room = roomView(row, new Date());
    const zone = readerZone(me);
    const schedule = roomSchedule(room, zone);
    const description = room.description || `The ${room.name} live support room.`;
    if (!me) {
      const here = await this.hereNow(room.id);
      return view(room.name, { room, schedule, here }, { description });
    }

    const standing = await this.access.standing(me.id, room.id);
    this.access.assertMayEnter(standing);
    const query = await validateDto(HistoryQueryDto, { limit: 50, before: options.before }, 'form');
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
        mutedUntil: standing.mutedUntil ? zone.clock(standing.mutedUntil) : undefined,
        silenced: standing.sanction?.kind === 'silence',
        maxLength: this.config.chatMaxLength,
        support: options.support ? this.config.moderation.crisisSupportText : undefined,
        body: draft?.body ?? '',
        clientId: draft?.clientId ?? newClientId(),
        error: draft?.error,
        errorField: draft?.errorField,
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
