import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../common/auth/principal';
import { ClockWindows } from '../common/clock/clock-windows';
import { conflict, tooManyRequests } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { PublishingGate } from '../publishing/publishing-gate';

/**
 * Discourse's defaults: 15 s between threads and 5 s between posts (120 s and 30 s for new members), and the
 * same text twice within 5 minutes refused. Windows run on the injected clock, counted in the shared store (Redis
 * when configured); lifted by RATE_LIMITS=off; moderators are not paced.
 */
const PACE = {
  thread: { member: 15, newMember: 120 },
  post: { member: 5, newMember: 30 },
} as const;
const DUPLICATE_WINDOW_SECONDS = 300;

@Injectable()
export class ForumPacing {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: ClockWindows,
    private readonly gate: PublishingGate,
  ) {}

  beforeThread(author: Principal, body: string): Promise<void> {
    return this.check(author, 'thread', body);
  }

  /** `isNewMember`: when the caller read it with its own context (a reply does), so it is not asked again. */
  beforePost(author: Principal, body: string, isNewMember?: boolean): Promise<void> {
    return this.check(author, 'post', body, isNewMember);
  }

  private async check(author: Principal, kind: 'thread' | 'post', body: string, isNewMember?: boolean): Promise<void> {
    if (!this.config.rateLimits || author.role !== 'member') return;
    const fingerprint = createHash('sha256').update(body.trim().replace(/\s+/g, ' ').toLowerCase()).digest('base64url');
    const duplicate = await this.store.hit(`dup:${author.id}:${fingerprint}`, DUPLICATE_WINDOW_SECONDS);
    if (duplicate.count > 1) throw conflict('You posted this same text a moment ago; it is already there');
    const isNew = isNewMember ?? (await this.gate.isNewMember(author));
    const seconds = isNew ? PACE[kind].newMember : PACE[kind].member;
    const pace = await this.store.hit(`pace:${kind}:${author.id}`, seconds);
    if (pace.count > 1) {
      await this.store.reset(`dup:${author.id}:${fingerprint}`);
      throw tooManyRequests(
        pace.resetSeconds,
        `Please wait a little before posting again (${seconds} s between ${kind}s)`,
      );
    }
  }
}
