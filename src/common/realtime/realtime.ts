import { Injectable } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import type { Ack } from './acks';

/** The Socket.IO room that holds every socket of one member, on every process (the Redis streams adapter). */
export const userRoom = (userId: string): string => `user:${userId}`;

/** Who a socket belongs to, as the `/chat` handshake resolved it. Rights are checked afresh on every write. */
export interface RealtimeMember {
  userId: string;
  username: string;
  displayName: string;
}

/** One client connection as a feature's handler sees it: whose it is, and its id (to leave it out of a broadcast). */
export interface RealtimeConnection {
  readonly id: string;
  readonly member: RealtimeMember;
}

/** A feature's handler of one client event: the acknowledgement (built with `answer`). */
export type RealtimeHandler = (conn: RealtimeConnection, payload: unknown) => Promise<Ack>;

/**
 * The `/chat` Socket.IO namespace as other features use it, without importing the chat: a feature registers the
 * client events it answers (`handle`), and sends to members' own rooms (`toUsers`). The chat's gateway attaches the
 * namespace and dispatches the events it does not answer itself to the handlers registered here. In a process
 * without the gateway (the admin CLI) nothing is attached and sending is a no-op.
 */
@Injectable()
export class Realtime {
  private nsp?: Namespace;
  private readonly handlers = new Map<string, RealtimeHandler>();

  attach(nsp: Namespace): void {
    this.nsp = nsp;
  }

  handle(event: string, handler: RealtimeHandler): void {
    if (this.handlers.has(event)) throw new Error(`Socket event "${event}" is handled twice`);
    this.handlers.set(event, handler);
  }

  handlerFor(event: string): RealtimeHandler | undefined {
    return this.handlers.get(event);
  }

  /** An event to every socket of these members, but the one that caused it (it has its acknowledgement). */
  toUsers(userIds: string[], event: string, payload: unknown, exceptSocketId?: string): void {
    if (!this.nsp || userIds.length === 0) return;
    this.nsp
      .to(userIds.map(userRoom))
      .except(exceptSocketId ? [exceptSocketId] : [])
      .emit(event, payload);
  }
}
