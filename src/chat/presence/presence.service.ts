import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { REDIS, type RedisClient } from '../../common/redis/redis.module';
import type { PresenceMember, PresenceView } from '../chat-events';
import { ChatHub } from '../chat-hub';
import { DegradingPresenceStore, MemoryPresenceStore, type PresenceStore, type PresentSocket } from './presence-store';

/** Display names in a human order (String#localeCompare builds a collator per call: too slow for big rooms). */
const byName = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** The presence list names at most this many members (`count` still tells how many are online). */
export const PRESENCE_LIST_MAX = 200;
const HEARTBEAT_MS = 10_000;

/**
 * Who is online in each room, across every process, and the `presence` broadcasts. Sockets enter when they join a
 * room and leave through the adapter's own `leave-room` event, which fires for a leave, a disconnect, and a kick
 * decided on another process alike, so presence cannot drift from the rooms Socket.IO really has.
 *
 * Broadcasts are coalesced per room (a burst of joins makes one `presence`, sent a moment later with the state read
 * then), and the delay grows with the room: a full list to every member on every join would be quadratic.
 */
@Injectable()
export class PresenceService implements OnModuleDestroy {
  private readonly logger = new Logger(PresenceService.name);
  private readonly store: PresenceStore;
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private readonly slugs = new Map<string, string>();
  private readonly sizes = new Map<string, number>();
  private heartbeat?: NodeJS.Timeout;
  private closing = false;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    private readonly hub: ChatHub,
    private readonly db: DataSource,
  ) {
    this.store = redis ? new DegradingPresenceStore(redis) : new MemoryPresenceStore();
  }

  /** Called once the gateway is up: only a process that holds sockets announces itself as alive. */
  start(): void {
    if (this.heartbeat) return;
    const beat = () =>
      this.store.heartbeat().catch((err: Error) => this.logger.warn(`presence heartbeat: ${err.message}`));
    void beat();
    this.heartbeat = setInterval(beat, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** A socket joined a room: counted at once; the room hears of it shortly. Returns who is there now. */
  async enter(room: { id: string; slug: string }, socketId: string, who: PresentSocket): Promise<PresenceMember[]> {
    this.slugs.set(room.id, room.slug);
    try {
      await this.store.add(room.id, socketId, who);
      this.schedule(room.id);
      return this.view(room.id, await this.store.list(room.id)).members;
    } catch (err) {
      // Presence is a courtesy: Redis briefly away must not keep anyone out of a room.
      this.logger.warn(`presence of room ${room.id}: ${(err as Error).message}`);
      return [{ username: who.username, displayName: who.displayName }];
    }
  }

  /** From the adapter: a socket left a Socket.IO room (leave, disconnect, kick from any process). */
  left(roomId: string, socketId: string): void {
    if (this.closing) return;
    this.store
      .remove(roomId, socketId)
      .then(() => this.schedule(roomId))
      .catch((err: Error) => this.logger.warn(`presence of room ${roomId}: ${err.message}`));
  }

  async members(roomId: string): Promise<PresenceView> {
    return this.view(roomId, await this.store.list(roomId));
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await withTimeout(this.store.close(), 2000).catch((err: Error) =>
      this.logger.warn(`presence cleanup: ${err.message}`),
    );
  }

  private schedule(roomId: string): void {
    if (this.closing || this.pending.has(roomId) || !this.hub.attached) return;
    const delay = Math.min(2000, 100 + 2 * (this.sizes.get(roomId) ?? 0));
    const timer = setTimeout(() => {
      this.pending.delete(roomId);
      void this.broadcast(roomId);
    }, delay);
    timer.unref();
    this.pending.set(roomId, timer);
  }

  private async broadcast(roomId: string): Promise<void> {
    try {
      await this.slugOf(roomId);
      const presence = await this.members(roomId);
      if (!this.closing) this.hub.presence(roomId, presence);
    } catch (err) {
      this.logger.warn(`presence of room ${roomId}: ${(err as Error).message}`);
    }
  }

  private view(roomId: string, sockets: PresentSocket[]): PresenceView {
    const byUser = new Map<string, PresenceMember>();
    for (const s of sockets) byUser.set(s.userId, { username: s.username, displayName: s.displayName });
    this.sizes.set(roomId, byUser.size);
    const members = [...byUser.values()].sort(
      (a, b) => byName.compare(a.displayName, b.displayName) || (a.username < b.username ? -1 : 1),
    );
    return {
      room: this.slugs.get(roomId) ?? '',
      members: members.slice(0, PRESENCE_LIST_MAX),
      count: members.length,
    };
  }

  private async slugOf(roomId: string): Promise<string> {
    let slug = this.slugs.get(roomId);
    if (slug === undefined) {
      const rows = (await this.db.query(`SELECT slug FROM chat_rooms WHERE id = $1`, [roomId])) as Array<{
        slug: string;
      }>;
      slug = rows[0]?.slug ?? '';
      this.slugs.set(roomId, slug);
    }
    return slug;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}
