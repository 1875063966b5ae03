import { Inject, Injectable } from '@nestjs/common';
import { hasRole } from '../common/auth/principal';
import { Clock } from '../common/clock/clock';
import { ClockWindows } from '../common/clock/clock-windows';
import { tooManyRequests } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { PublishingGate } from '../publishing/publishing-gate';
import type { Role } from '../common/auth/role';

/** Messages a member may send per window, in all rooms together; new members (nothing approved yet) fewer. */
export const CHAT_RATE = { windowSeconds: 30, member: 20, newMember: 5 } as const;
/** One typing signal per member and room this often; the rest are dropped. */
export const TYPING_INTERVAL_MS = 2000;
/** Client events one connection may send: a burst of this many, refilled at EVENTS_PER_SECOND. */
export const EVENT_BURST = 40;
export const EVENTS_PER_SECOND = 10;

/** A token bucket for one connection's events; `take()` returns 0 when allowed, else the seconds to wait. */
export interface EventBudget {
  take(now?: number): number;
}

/**
 * How fast a member may write. Windows run on the injected clock; the rate limit is counted in the shared store
 * (Redis with REDIS_URL, so it holds across processes) and lifted by RATE_LIMITS=off, like the server's other
 * pacing. A room's slow mode is the room's rule, not the server's: it always applies. Moderators are paced by
 * neither.
 */
@Injectable()
export class ChatPacing {
  private readonly typingAt = new Map<string, number>();
  private sweepAt = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ClockWindows,
    private readonly clock: Clock,
    private readonly gate: PublishingGate,
  ) {}

  /** `isNewMember`: when the caller read it with its own context (a message does), so it is not asked again. */
  async beforeMessage(
    author: { userId: string; role: Role },
    room: { id: string; slowModeSeconds: number },
    isNewMember?: boolean,
  ) {
    if (hasRole(author, 'moderator')) return;
    if (room.slowModeSeconds > 0) {
      const slow = await this.store.hit(`chat:slow:${room.id}:${author.userId}`, room.slowModeSeconds);
      if (slow.count > 1) {
        throw tooManyRequests(
          slow.resetSeconds,
          `This room is in slow mode: one message every ${room.slowModeSeconds} s. Please wait ${slow.resetSeconds} s.`,
        );
      }
    }
    if (!this.config.rateLimits) return;
    const isNew = isNewMember ?? (await this.gate.isNewMember({ id: author.userId, role: author.role }));
    const limit = isNew ? CHAT_RATE.newMember : CHAT_RATE.member;
    const hits = await this.store.hit(`chat:msg:${author.userId}`, CHAT_RATE.windowSeconds);
    if (hits.count > limit) {
      throw tooManyRequests(
        hits.resetSeconds,
        `You are sending messages quickly (at most ${limit} every ${CHAT_RATE.windowSeconds} s); please wait ${hits.resetSeconds} s`,
      );
    }
  }

  /**
   * Every client event costs a token from its connection's bucket, so one socket cannot flood the server (the HTTP
   * request budget does not see socket events). Lifted by RATE_LIMITS=off.
   */
  eventBudget(): EventBudget {
    if (!this.config.rateLimits) return { take: () => 0 };
    const clock = this.clock;
    let tokens = EVENT_BURST;
    let at = clock.now();
    return {
      take(now = clock.now()) {
        tokens = Math.min(EVENT_BURST, tokens + ((now - at) / 1000) * EVENTS_PER_SECOND);
        at = now;
        if (tokens >= 1) {
          tokens -= 1;
          return 0;
        }
        return Math.ceil((1 - tokens) / EVENTS_PER_SECOND);
      },
    };
  }

  /** Whether a "typing" signal may go out now (in this process's memory: it is volatile anyway). */
  mayTypeNow(userId: string, roomId: string, now = this.clock.now()): boolean {
    if (!this.config.rateLimits) return true;
    if (now >= this.sweepAt) {
      this.sweepAt = now + 60_000;
      for (const [key, at] of this.typingAt) if (now - at >= TYPING_INTERVAL_MS) this.typingAt.delete(key);
    }
    const key = `${userId}:${roomId}`;
    const last = this.typingAt.get(key);
    if (last !== undefined && now - last < TYPING_INTERVAL_MS) return false;
    this.typingAt.set(key, now);
    return true;
  }
}
