import { Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { RateLimitStore } from './rate-limit.store';

/** @nestjs/throttler's global limit, counted in the shared RateLimitStore (Redis when configured). */
@Injectable()
export class SharedThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly store: RateLimitStore) {}

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    _block: number,
    name: string,
  ): ReturnType<ThrottlerStorage['increment']> {
    const { count, resetSeconds } = await this.store.hit(`throttle:${name}:${key}`, Math.ceil(ttlMs / 1000));
    const blocked = count > limit;
    return {
      totalHits: count,
      timeToExpire: resetSeconds,
      isBlocked: blocked,
      timeToBlockExpire: blocked ? resetSeconds : 0,
    };
  }
}
