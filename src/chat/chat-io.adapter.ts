import type { Server as HttpServer } from 'node:http';
import { type INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Redis from 'ioredis';
import { Server, type ServerOptions } from 'socket.io';
import type { AppConfig } from '../config/config';

/**
 * Socket.IO for Haven. With REDIS_URL, the Redis streams adapter carries broadcasts, room changes and
 * disconnections between server processes: a stream keeps what was published while a process's connection to
 * Redis is briefly down, and the process reads on from its last offset (the pub/sub adapter drops those
 * messages). The adapter gets its own connection, and duplicates it for its blocking XREAD and its
 * pub/sub: those must not share the application's connection. Keys and channels carry the configured prefix, so
 * several Havens (or test runs) can share one Redis.
 */
const STREAM_TTL_SECONDS = 24 * 3600;

export class ChatIoAdapter extends IoAdapter {
  private readonly logger = new Logger('ChatIoAdapter');
  private readonly connections: Redis[] = [];
  private keepAlive?: NodeJS.Timeout;

  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const cors = this.config.http.corsOrigins;
    const opts: Partial<ServerOptions> = {
      ...options,
      serveClient: false,
      // A message is at most CHAT_MAX_LENGTH characters; anything near this is refused in the ack, not by a drop.
      maxHttpBufferSize: 1_000_000,
      ...(cors.length > 0 ? { cors: { origin: cors.includes('*') ? true : cors } } : {}),
      ...(this.config.redisUrl ? { adapter: this.streamsAdapter(this.config.redisUrl) } : {}),
    };
    // Built here from the application's own socket.io (not the copy @nestjs/platform-socket.io bundles), so the
    // server, its adapter and the types are all one version.
    const httpServer = this.httpServer as HttpServer | undefined;
    return httpServer && port === 0 ? new Server(httpServer, opts) : new Server(port, opts);
  }

  /**
   * Disconnects this process's sockets and stops the adapter (its reader and its Redis connections). The HTTP
   * server is left to the HTTP adapter, which closes it next (Socket.IO's own close() would close it twice).
   */
  override async close(server: unknown): Promise<void> {
    if (!(server instanceof Server)) return;
    await Promise.allSettled(
      [...server._nsps.values()].map(async (nsp) => {
        for (const socket of nsp.sockets.values()) socket.disconnect(true);
        await nsp.adapter.close();
      }),
    );
    server.engine.close();
    if (this.keepAlive) clearInterval(this.keepAlive);
    for (const connection of this.connections.splice(0)) connection.disconnect();
  }

  private streamsAdapter(url: string) {
    const name = `${this.config.redisPrefix}chat:adapter`;
    const redis = this.connect(url);
    // The stream outlives no deployment by more than a day (test runs each make their own prefix).
    const keepAlive = () => void redis.expire(name, STREAM_TTL_SECONDS).catch(() => undefined);
    keepAlive();
    this.keepAlive = setInterval(keepAlive, 60_000);
    this.keepAlive.unref();
    return createAdapter(redis, {
      streamName: name,
      channelPrefix: name,
      maxLen: 10_000,
      readCount: 100,
      blockTimeInMs: 5_000,
      onlyPlaintext: true,
    });
  }

  /** A connection that queues commands while Redis is away (a broadcast waits rather than being lost). */
  private connect(url: string): Redis {
    const redis = new Redis(url, { maxRetriesPerRequest: null, enableOfflineQueue: true, connectTimeout: 3000 });
    let lastError = '';
    redis.on('error', (err: Error) => {
      if (err.message !== lastError) this.logger.warn(`Redis (Socket.IO adapter): ${err.message}`);
      lastError = err.message;
    });
    redis.on('ready', () => (lastError = ''));
    const duplicate = redis.duplicate.bind(redis);
    redis.duplicate = (...args: Parameters<Redis['duplicate']>) => this.track(duplicate(...args));
    return this.track(redis);
  }

  /**
   * Closed by close() above. The adapter also disconnects its reader and subscriber itself when it stops; a second
   * disconnect of the same connection would only leave ioredis's 2 s force-close timer holding the process open, so
   * disconnecting is made to happen once.
   */
  private track(connection: Redis): Redis {
    const disconnect = connection.disconnect.bind(connection);
    let disconnected = false;
    connection.disconnect = (reconnect?: boolean) => {
      if (disconnected && !reconnect) return;
      disconnected = !reconnect;
      disconnect(reconnect);
    };
    this.connections.push(connection);
    return connection;
  }
}
