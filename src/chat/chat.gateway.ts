import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { notFound, tooManyRequests } from '../common/errors/domain-error';
import { Realtime } from '../common/realtime/realtime';
import { ackError, answer, parsePayload } from './chat-acks';
import { connectionOf } from './chat-connection';
import { type Ack, type ChatNamespace, type ChatSocket, type ClientToServerEvents, socketRooms } from './chat-events';
import { ChatHandshake } from './chat-handshake';
import { ChatHub } from './chat-hub';
import { ChatPacing } from './chat-pacing';
import { DeleteMessageDto, SendMessageDto } from './messages/dto/message.dto';
import { MessagesService } from './messages/messages.service';
import { PresenceService } from './presence/presence.service';
import { RoomDto, RoomJoinDto, RoomKickDto, RoomMuteDto, TypingDto } from './rooms/dto/room.dto';
import { RoomMembership } from './rooms/room-membership.service';
import { RoomModeration } from './rooms/room-moderation.service';

/** What the ack of client event E carries, from the one event map. */
type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];
type EventHandlers = { [E in keyof ClientToServerEvents]: (socket: ChatSocket, payload: unknown) => Promise<AckOf<E>> };

/**
 * The live chat's Socket.IO namespace. It translates and nothing more: the handshake admits or refuses the
 * connection; each client event has one line below, which validates the payload against its DTO and makes one
 * service call; the outcome, or any error through the one error mapping, goes back in the acknowledgement.
 *
 * Events are dispatched from one `onAny` listener per socket rather than Nest's @SubscribeMessage, which subscribes
 * an RxJS pipeline per handler per socket: with these seven events that made 46 KB of heap per idle connection,
 * against 14.5 KB now and 11 KB for a bare Socket.IO server (bench/chat.mjs). A connection's events also draw on
 * its own budget (ChatPacing), since the HTTP request budget never sees them. Payloads are `unknown` until
 * `parsePayload` has checked them.
 */
@WebSocketGateway({ namespace: '/chat' })
export class ChatGateway implements OnGatewayInit<ChatNamespace>, OnGatewayConnection<ChatSocket> {
  private readonly handlers: EventHandlers = {
    'room:join': (s, p) =>
      answer(async () => this.membership.join(connectionOf(s), await parsePayload(RoomJoinDto, p))),
    'room:leave': (s, p) => answer(async () => this.membership.leave(connectionOf(s), await parsePayload(RoomDto, p))),
    'message:send': (s, p) =>
      answer(async () => this.messages.send(connectionOf(s), await parsePayload(SendMessageDto, p))),
    'message:delete': (s, p) =>
      answer(async () => this.messages.remove(connectionOf(s), await parsePayload(DeleteMessageDto, p))),
    typing: (s, p) => answer(async () => this.membership.typing(connectionOf(s), await parsePayload(TypingDto, p))),
    'room:mute': (s, p) =>
      answer(async () => this.moderation.mute(connectionOf(s), await parsePayload(RoomMuteDto, p))),
    'room:kick': (s, p) =>
      answer(async () => this.moderation.kick(connectionOf(s), await parsePayload(RoomKickDto, p))),
  };

  constructor(
    private readonly handshake: ChatHandshake,
    private readonly hub: ChatHub,
    private readonly presence: PresenceService,
    private readonly pacing: ChatPacing,
    private readonly membership: RoomMembership,
    private readonly messages: MessagesService,
    private readonly moderation: RoomModeration,
    private readonly realtime: Realtime,
  ) {}

  afterInit(nsp: ChatNamespace): void {
    this.hub.attach(nsp);
    this.realtime.attach(nsp);
    this.presence.start();
    nsp.use((socket, next) => {
      this.handshake.admit(socket).then(
        () => next(),
        (err: unknown) => next(this.handshake.refusal(err)),
      );
    });
    nsp.adapter.on('leave-room', (room: string, socketId: string) => {
      const roomId = socketRooms.roomIdOf(room);
      if (roomId) this.presence.left(roomId, socketId);
    });
  }

  /** An event another feature answers on this namespace (conversations), registered with Realtime. */
  private featureHandler(event: string): ((socket: ChatSocket, payload: unknown) => Promise<Ack>) | undefined {
    const handler = this.realtime.handlerFor(event);
    return handler && ((socket, payload) => handler({ id: socket.id, member: socket.data }, payload));
  }

  handleConnection(socket: ChatSocket): void {
    this.hub.welcome(socket);
    const budget = this.pacing.eventBudget();
    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (answer: Ack) => void) : undefined;
      const wait = budget.take();
      const handle = Object.hasOwn(this.handlers, event)
        ? this.handlers[event as keyof EventHandlers]
        : this.featureHandler(event);
      if (wait > 0 || !handle) {
        const err = handle
          ? tooManyRequests(wait, 'Too many events from this connection; please slow down')
          : notFound(`Event "${event}"`);
        ack?.({ ok: false, error: ackError(err) });
        return;
      }
      void handle(socket, args[0]).then((result: Ack) => ack?.(result));
    });
  }
}
