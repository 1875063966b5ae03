import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { RedisBreaker } from '../../common/redis/redis-breaker';

/** One socket of one member, present in a room. */
export interface PresentSocket {
  userId: string;
  username: string;
  displayName: string;
}

/**
 * Who is in which room, per socket. Kept in Redis when REDIS_URL is set, so every process sees the sockets of all
 * of them; in this process's memory otherwise.
 */
export interface PresenceStore {
  add(roomId: string, socketId: string, who: PresentSocket): Promise<void>;
  remove(roomId: string, socketId: string): Promise<void>;
  list(roomId: string): Promise<PresentSocket[]>;
  /** Keeps this process counted as alive (Redis): called every few seconds. */
  heartbeat(): Promise<void>;
  /** This process is going away: its sockets stop counting at once. */
  close(): Promise<void>;
}

export class MemoryPresenceStore implements PresenceStore {
  private readonly rooms = new Map<string, Map<string, PresentSocket>>();

  add(roomId: string, socketId: string, who: PresentSocket): Promise<void> {
    let room = this.rooms.get(roomId);
    if (!room) this.rooms.set(roomId, (room = new Map()));
    room.set(socketId, who);
    return Promise.resolve();
  }

  remove(roomId: string, socketId: string): Promise<void> {
    const room = this.rooms.get(roomId);
    if (room?.delete(socketId) && room.size === 0) this.rooms.delete(roomId);
    return Promise.resolve();
  }

  list(roomId: string): Promise<PresentSocket[]> {
    return Promise.resolve([...(this.rooms.get(roomId)?.values() ?? [])]);
  }

  heartbeat(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.rooms.clear();
    return Promise.resolve();
  }
}

/** How long a process counts as alive after its last heartbeat. */
export const NODE_TTL_SECONDS = 30;
const ROOM_TTL_SECONDS = 3600;

/**
 * Redis layout (keys under the configured prefix): `chat:presence:<roomId>`, a hash from `<process>|<socket id>` to
 * the member; `chat:node:<process>`, refreshed by each process's heartbeat. A process that dies without cleaning up
 * leaves fields whose process key has expired: readers skip them and delete them, so presence heals within
 * NODE_TTL_SECONDS.
 */
export class RedisPresenceStore implements PresenceStore {
  readonly nodeId = randomBytes(6).toString('hex');
  /** This process's own fields, to remove them all on shutdown. */
  private readonly own = new Map<string, Set<string>>();

  constructor(private readonly redis: Redis) {}

  async add(roomId: string, socketId: string, who: PresentSocket): Promise<void> {
    let sockets = this.own.get(roomId);
    if (!sockets) this.own.set(roomId, (sockets = new Set()));
    sockets.add(socketId);
    await this.redis
      .pipeline()
      .hset(roomKey(roomId), this.field(socketId), JSON.stringify([who.userId, who.username, who.displayName]))
      .expire(roomKey(roomId), ROOM_TTL_SECONDS)
      .exec();
  }

  async remove(roomId: string, socketId: string): Promise<void> {
    const sockets = this.own.get(roomId);
    if (sockets?.delete(socketId) && sockets.size === 0) this.own.delete(roomId);
    await this.redis.hdel(roomKey(roomId), this.field(socketId));
  }

  async list(roomId: string): Promise<PresentSocket[]> {
    const entries = Object.entries(await this.redis.hgetall(roomKey(roomId)));
    const nodes = [...new Set(entries.map(([field]) => field.slice(0, field.indexOf('|'))))].filter(
      (n) => n !== this.nodeId,
    );
    const alive = new Set([this.nodeId]);
    if (nodes.length > 0) {
      const beats = await this.redis.mget(nodes.map(nodeKey));
      nodes.forEach((n, i) => beats[i] !== null && alive.add(n));
    }
    const out: PresentSocket[] = [];
    const dead: string[] = [];
    for (const [field, value] of entries) {
      if (!alive.has(field.slice(0, field.indexOf('|')))) {
        dead.push(field);
        continue;
      }
      try {
        const [userId, username, displayName] = JSON.parse(value) as [string, string, string];
        out.push({ userId, username, displayName });
      } catch {
        dead.push(field);
      }
    }
    if (dead.length > 0) await this.redis.hdel(roomKey(roomId), ...dead);
    return out;
  }

  /** Also keeps the rooms this process has sockets in from expiring (a room's hash outlives its last process by
   *  ROOM_TTL_SECONDS at most). */
  async heartbeat(): Promise<void> {
    const pipeline = this.redis.pipeline().set(nodeKey(this.nodeId), '1', 'EX', NODE_TTL_SECONDS);
    for (const roomId of this.own.keys()) pipeline.expire(roomKey(roomId), ROOM_TTL_SECONDS);
    await pipeline.exec();
  }

  async close(): Promise<void> {
    const pipeline = this.redis.pipeline().del(nodeKey(this.nodeId));
    for (const [roomId, sockets] of this.own) pipeline.hdel(roomKey(roomId), ...[...sockets].map((s) => this.field(s)));
    this.own.clear();
    await pipeline.exec();
  }

  private field(socketId: string): string {
    return `${this.nodeId}|${socketId}`;
  }
}

const roomKey = (roomId: string) => `chat:presence:${roomId}`;
const nodeKey = (nodeId: string) => `chat:node:${nodeId}`;

/**
 * Redis presence that degrades to this process's own sockets while Redis is stalled or away, instead of making every
 * join wait for the command timeout: a mirror of this process's sockets is kept in memory, answers `list` during the
 * outage, and is written back when Redis answers again (under a fresh process id, so that entries Redis missed the
 * removal of die with the old id's heartbeat instead of lingering).
 */
export class DegradingPresenceStore implements PresenceStore {
  private readonly mirror = new MemoryPresenceStore();
  private readonly own = new Map<string, Map<string, PresentSocket>>();
  private readonly breaker = new RedisBreaker('chat presence shows this process only');
  private redisStore: RedisPresenceStore;
  private stale = false;

  constructor(private readonly redis: Redis) {
    this.redisStore = new RedisPresenceStore(redis);
  }

  async add(roomId: string, socketId: string, who: PresentSocket): Promise<void> {
    let sockets = this.own.get(roomId);
    if (!sockets) this.own.set(roomId, (sockets = new Map()));
    sockets.set(socketId, who);
    await this.mirror.add(roomId, socketId, who);
    await this.viaRedis((s) => s.add(roomId, socketId, who));
  }

  async remove(roomId: string, socketId: string): Promise<void> {
    const sockets = this.own.get(roomId);
    if (sockets?.delete(socketId) && sockets.size === 0) this.own.delete(roomId);
    await this.mirror.remove(roomId, socketId);
    await this.viaRedis((s) => s.remove(roomId, socketId));
  }

  list(roomId: string): Promise<PresentSocket[]> {
    return this.breaker.run(
      async () => {
        await this.resyncIfStale();
        return this.redisStore.list(roomId);
      },
      () => this.failed(() => this.mirror.list(roomId)),
    );
  }

  heartbeat(): Promise<void> {
    return this.viaRedis((s) => s.heartbeat());
  }

  async close(): Promise<void> {
    await this.mirror.close();
    this.own.clear();
    if (!this.stale) await this.redisStore.close();
  }

  private viaRedis(op: (s: RedisPresenceStore) => Promise<void>): Promise<void> {
    return this.breaker.run(
      async () => {
        await this.resyncIfStale();
        await op(this.redisStore);
      },
      () => this.failed(() => undefined),
    );
  }

  private failed<T>(fallback: () => T): T {
    this.stale = true;
    return fallback();
  }

  /** Back from an outage: retire the old process id and write this process's sockets again under a new one. */
  private async resyncIfStale(): Promise<void> {
    if (!this.stale) return;
    const old = this.redisStore;
    const fresh = new RedisPresenceStore(this.redis);
    await old.close();
    for (const [roomId, sockets] of this.own)
      for (const [socketId, who] of sockets) await fresh.add(roomId, socketId, who);
    await fresh.heartbeat();
    this.redisStore = fresh;
    this.stale = false;
  }
}
