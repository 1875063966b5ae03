import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';

/** The shared Redis connection, or null when REDIS_URL is unset (one process works alone then). */
export const REDIS = Symbol('REDIS');
export type RedisClient = Redis | null;

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): RedisClient => {
        if (!config.redisUrl) return null;
        const logger = new Logger('Redis');
        const redis = new Redis(config.redisUrl, {
          keyPrefix: config.redisPrefix,
          // Fail fast while Redis is away: callers answer 503 instead of queueing requests for ever.
          maxRetriesPerRequest: 2,
          enableOfflineQueue: true,
          connectTimeout: 3000,
          // A stalled Redis (paused, or a full network buffer) keeps its connection open and never answers: without
          // this, every command waits for as long as the stall lasts. Callers degrade or answer 503.
          commandTimeout: config.redisCommandTimeoutMs,
          lazyConnect: false,
        });
        let lastError = '';
        redis.on('error', (err: Error) => {
          if (err.message !== lastError) logger.warn(`Redis: ${err.message}`);
          lastError = err.message;
        });
        redis.on('ready', () => (lastError = ''));
        return redis;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
