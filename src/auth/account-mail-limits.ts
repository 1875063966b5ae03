import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { tooManyRequests } from '../common/errors/domain-error';
import { keyedIpHash } from '../common/rate-limit/ip-hash';
import { RateLimitStore } from '../common/rate-limit/rate-limit.store';

/** One limit: at most `max` within `windowSeconds`. */
interface Limit {
  max: number;
  windowSeconds: number;
}

/**
 * How much account mail one cause may send. Limits per member and per address protect a mailbox from being
 * flooded, so they hold even with RATE_LIMITS=off; the limit per client is a request limit like the others.
 */
export const ACCOUNT_MAIL_LIMITS = {
  /** Asking for the confirmation link again: once per 2 minutes, 5 times a day (429). */
  resendShort: { max: 1, windowSeconds: 120 },
  resendDaily: { max: 5, windowSeconds: 86_400 },
  /** Asking to move to a new address: 5 a day (429). */
  emailChange: { max: 5, windowSeconds: 86_400 },
  /** Reset links per address (silently no more: the answer must not differ) and per client (429). */
  resetPerAddress: { max: 3, windowSeconds: 3600 },
  resetPerClient: { max: 10, windowSeconds: 3600 },
  /** "Someone tried your address" notices per address (sign-up or change of address): one an hour, silently. */
  noticePerAddress: { max: 1, windowSeconds: 3600 },
} as const satisfies Record<string, Limit>;

const TOO_MANY_LINKS = 'You asked for this link a moment ago; please check your mail (and its spam folder) first';

/** Counters in the shared rate-limit store, under keyed hashes (never an address or a member's id in the clear). */
@Injectable()
export class AccountMailLimits {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: RateLimitStore,
  ) {}

  /** 429 with Retry-After once the member asked for her confirmation link too often. */
  async resend(userId: string): Promise<void> {
    await this.refuseOver(`verify-resend:${this.hash(userId)}`, ACCOUNT_MAIL_LIMITS.resendShort, TOO_MANY_LINKS);
    await this.refuseOver(`verify-resend-day:${this.hash(userId)}`, ACCOUNT_MAIL_LIMITS.resendDaily, TOO_MANY_LINKS);
  }

  async emailChange(userId: string): Promise<void> {
    await this.refuseOver(
      `email-change:${this.hash(userId)}`,
      ACCOUNT_MAIL_LIMITS.emailChange,
      'You asked to change your address several times today; please try again tomorrow',
    );
  }

  /** 429 for a client asking for many reset links (only while rate limits are on). */
  async resetFromClient(ip: string): Promise<void> {
    if (!this.config.rateLimits) return;
    const key = `reset-client:${keyedIpHash(this.config.comments.ipHashSecret, ip)}`;
    await this.refuseOver(key, ACCOUNT_MAIL_LIMITS.resetPerClient, 'Too many password reset requests; please wait');
  }

  /** Whether one more reset mail may go to this address (counted whether or not it has an account). */
  async resetToAddress(addressHash: string): Promise<boolean> {
    return this.allows(`reset-address:${addressHash}`, ACCOUNT_MAIL_LIMITS.resetPerAddress);
  }

  /** Whether one more "someone used your address" notice may go to this address. */
  async noticeToAddress(addressHash: string): Promise<boolean> {
    return this.allows(`address-notice:${addressHash}`, ACCOUNT_MAIL_LIMITS.noticePerAddress);
  }

  private async allows(key: string, limit: Limit): Promise<boolean> {
    return (await this.store.hit(key, limit.windowSeconds)).count <= limit.max;
  }

  private async refuseOver(key: string, limit: Limit, message: string): Promise<void> {
    const hit = await this.store.hit(key, limit.windowSeconds);
    if (hit.count > limit.max) throw tooManyRequests(hit.resetSeconds, message);
  }

  private hash(value: string): string {
    return createHmac('sha256', this.config.comments.ipHashSecret).update(value).digest('base64url').slice(0, 32);
  }
}
