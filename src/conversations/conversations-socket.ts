import { Injectable, type OnModuleInit } from '@nestjs/common';
import { answer, parsePayload } from '../common/realtime/acks';
import { Realtime, type RealtimeConnection } from '../common/realtime/realtime';
import type { ConversationClientEvents } from './conversation-events';
import { ConversationJoinDto, ConversationReadDto, ConversationSendDto } from './dto/conversation.dto';
import { ConversationsService } from './conversations.service';

type Handlers = {
  [E in keyof ConversationClientEvents]: (conn: RealtimeConnection, payload: unknown) => Promise<object>;
};

/**
 * The conversations' client events on `/chat`, registered with Realtime (the chat's gateway dispatches them). Like
 * the gateway, it translates: each event validates its payload, reads the member as she stands now (role and
 * sanction, not as at the handshake) and makes one service call; the outcome or the mapped error is the ack.
 */
@Injectable()
export class ConversationsSocket implements OnModuleInit {
  private readonly handlers: Handlers = {
    'conversation:join': async (conn, p) => {
      const input = await parsePayload(ConversationJoinDto, p);
      return this.conversations.forJoin(await this.me(conn), input.id, input.sinceId);
    },
    'conversation:send': async (conn, p) => {
      const input = await parsePayload(ConversationSendDto, p);
      const { id, ...message } = input;
      return this.conversations.send(await this.me(conn), id, message, conn.id);
    },
    'conversation:read': async (conn, p) => {
      const input = await parsePayload(ConversationReadDto, p);
      await this.conversations.markRead(await this.me(conn), input.id, input.upToId);
      return {};
    },
  };

  constructor(
    private readonly realtime: Realtime,
    private readonly conversations: ConversationsService,
  ) {}

  onModuleInit(): void {
    for (const [event, handle] of Object.entries(this.handlers)) {
      this.realtime.handle(event, (conn, payload) => answer(() => handle(conn, payload)));
    }
  }

  private me(conn: RealtimeConnection) {
    return this.conversations.memberNow(conn.member.userId);
  }
}
