import { randomBytes, randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import type { TestApp } from '../app';
import type {
  Ack,
  ChatMessageView,
  ClientToServerEvents,
  MessageSent,
  RoomJoined,
  RoomView,
  ServerToClientEvents,
} from '../../src/chat/chat-events';
import { bearer, type TestUser } from './users';

export type ChatClient = Socket<ServerToClientEvents, ClientToServerEvents>;
type ServerEvent = keyof ServerToClientEvents;
type Payload<E extends ServerEvent> = Parameters<ServerToClientEvents[E]>[0];

/** The port a test app listens on (startTestApp binds 127.0.0.1 on a random one). */
export function portOf(t: TestApp): number {
  const address = t.app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** A room of the test's own (moderator-made through the API), so tests never share messages or presence. */
export async function createRoom(
  t: TestApp,
  moderator: TestUser,
  fields: { kind?: 'open' | 'session'; startsAt?: string; endsAt?: string; slowModeSeconds?: number } = {},
): Promise<RoomView> {
  const slug = `room-${randomBytes(5).toString('hex')}`;
  const res = await t.http
    .post('/api/chat/rooms')
    .set(bearer(moderator.accessToken))
    .send({ slug, name: `Room ${slug}`, kind: fields.kind ?? 'open', ...fields })
    .expect(201);
  return res.body as RoomView;
}

/**
 * Socket.IO clients for one test file: every socket made here is closed by `closeAll()` (afterEach/afterAll).
 * Clients connect over WebSocket only, as the browser page does behind a load balancer without sticky sessions.
 */
export class ChatClients {
  private readonly sockets = new Set<ChatClient>();

  /** Connects as the member (or with `auth` as given); resolves once connected, rejects with the refusal. */
  connect(t: TestApp, who: TestUser | { auth: Record<string, unknown> }): Promise<ChatClient> {
    const auth = 'auth' in who ? who.auth : { token: who.accessToken };
    const socket: ChatClient = io(`http://127.0.0.1:${portOf(t)}/chat`, {
      transports: ['websocket'],
      auth,
      forceNew: true,
      reconnection: false,
      timeout: 5000,
    });
    this.sockets.add(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', (err) => reject(err));
    });
  }

  /** Connects and joins a room; returns the socket and the join's answer. */
  async joined(t: TestApp, who: TestUser, room: string): Promise<{ socket: ChatClient; joined: RoomJoined }> {
    const socket = await this.connect(t, who);
    const ack = await emitAck(socket, 'room:join', { room });
    if (!ack.ok) throw new Error(`join ${room}: ${ack.error.statusCode} ${ack.error.message}`);
    return { socket, joined: ack };
  }

  closeAll(): void {
    for (const socket of this.sockets) socket.disconnect();
    this.sockets.clear();
  }
}

type AckOf<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0];

/** Emits a client event and resolves with its acknowledgement (fails the test after `ms`). */
export function emitAck<E extends keyof ClientToServerEvents>(
  socket: ChatClient,
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
  ms = 5000,
): Promise<AckOf<E>> {
  return rawEmitAck(socket, event, payload, ms) as Promise<AckOf<E>>;
}

/** Like emitAck, but with any payload at all: for malformed input. */
export function rawEmitAck(socket: ChatClient, event: string, payload: unknown, ms = 5000): Promise<Ack> {
  const raw = socket as unknown as {
    timeout(ms: number): { emit(event: string, payload: unknown, ack: (err: Error | null, a: Ack) => void): void };
  };
  return new Promise((resolve, reject) => {
    raw.timeout(ms).emit(event, payload, (err, answer) => (err ? reject(err) : resolve(answer)));
  });
}

/** Sends a message with a fresh clientId (unless given) and expects it accepted. */
export async function send(socket: ChatClient, room: string, body: string, clientId = randomUUID()) {
  const ack = await emitAck(socket, 'message:send', { room, body, clientId });
  if (!ack.ok) throw new Error(`send: ${ack.error.statusCode} ${ack.error.message}`);
  return ack as { ok: true } & MessageSent;
}

/** The next `event` matching `accept`; rejects after `ms`. */
export function nextEvent<E extends ServerEvent>(
  socket: ChatClient,
  event: E,
  accept: (payload: Payload<E>) => boolean = () => true,
  ms = 5000,
): Promise<Payload<E>> {
  const s = socket as unknown as {
    on(event: string, fn: (p: Payload<E>) => void): void;
    off(event: string, fn: (p: Payload<E>) => void): void;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off(event, listener);
      reject(new Error(`no "${event}" within ${ms} ms`));
    }, ms);
    const listener = (payload: Payload<E>) => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      s.off(event, listener);
      resolve(payload);
    };
    s.on(event, listener);
  });
}

/** Everything `event` brings from now on, in order of arrival. */
export function collect<E extends ServerEvent>(socket: ChatClient, event: E): Array<Payload<E>> {
  const seen: Array<Payload<E>> = [];
  (socket as unknown as { on(event: string, fn: (p: Payload<E>) => void): void }).on(event, (p) => seen.push(p));
  return seen;
}

/**
 * To show that something does NOT arrive on `receiver`: `sender` sends a sentinel message to `room` (both have
 * joined it) after the fact, and this resolves with it once it reached `receiver`. The server writes one socket's
 * events in the order it emits them (across processes too: the Redis streams adapter keeps one ordered stream), so
 * whatever the fact had sent to `receiver` arrived before the sentinel. Send the sentinel from the process that
 * would have sent the unwanted event.
 */
export async function sentinel(receiver: ChatClient, sender: ChatClient, room: string): Promise<ChatMessageView> {
  const body = `sentinel ${randomUUID()}`;
  const arrived = nextEvent(receiver, 'message', (m) => m.body === body);
  await send(sender, room, body);
  return arrived;
}

/** Resolves when the socket is disconnected by the server, with the reason. */
export function disconnection(socket: ChatClient, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    if (socket.disconnected) return resolve('already disconnected');
    const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}
