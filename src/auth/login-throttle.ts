import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { tooManyRequests } from '../common/errors/domain-error';
import { RateLimitStore } from '../common/rate-limit/rate-limit.store';

/**
 * Brute-force brake: failed logins are counted per account (whatever the IP) and per IP (whatever the account).
 * Past the limit, every attempt is refused with 429 until the window ends, even one with the right password.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: RateLimitStore,
  ) {}

  async assertAllowed(login: string, ip: string): Promise<void> {
    if (!this.config.rateLimits) return;
    const [account, byIp] = await Promise.all([this.store.peek(accountKey(login)), this.store.peek(ipKey(ip))]);
    const { loginFailuresPerAccount, loginFailuresPerIp } = this.config.auth;
    if (account.count >= loginFailuresPerAccount || byIp.count >= loginFailuresPerIp) {
      const wait = Math.max(
        account.count >= loginFailuresPerAccount ? account.resetSeconds : 0,
        byIp.count >= loginFailuresPerIp ? byIp.resetSeconds : 0,
      );
      throw tooManyRequests(wait, 'Too many failed sign-in attempts; please wait before trying again');
    }
  }

  async recordFailure(login: string, ip: string): Promise<void> {
    if (!this.config.rateLimits) return;
    const window = this.config.auth.loginWindowSeconds;
    await Promise.all([this.store.hit(accountKey(login), window), this.store.hit(ipKey(ip), window)]);
  }

  async recordSuccess(login: string): Promise<void> {
    if (!this.config.rateLimits) return;
    await this.store.reset(accountKey(login));
  }
}

/** Keys hold a hash, not the login itself: Redis never stores who tried to sign in. */
const accountKey = (login: string) =>
  `login-fail:acct:${createHash('sha256').update(login.trim().toLowerCase()).digest('base64url')}`;
const ipKey = (ip: string) => `login-fail:ip:${createHash('sha256').update(ip).digest('base64url')}`;
