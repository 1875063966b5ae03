import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config';
import { tooManyRequests } from '../common/errors/domain-error';
import { keyedIpHash } from '../common/rate-limit/ip-hash';
import { RateLimitStore } from '../common/rate-limit/rate-limit.store';

/**
 * Brute-force brake: failed logins are counted per account (whatever the IP) and per IP (whatever the account).
 * Past the limit, every attempt is refused with 429 until the window ends, even one with the right password.
 * `account` is a stable key for the account tried (its id, or the typed login when it names nobody).
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: RateLimitStore,
  ) {}

  async assertAllowed(account: string, ip: string): Promise<void> {
    if (!this.config.rateLimits) return;
    const { loginFailuresPerAccount, loginFailuresPerIp } = this.config.auth;
    const [byAccount, byIp] = await Promise.all([
      this.store.peek(accountKey(account)),
      this.store.peek(this.ipKey(ip)),
    ]);
    const accountLocked = byAccount.count >= loginFailuresPerAccount;
    const ipLocked = byIp.count >= loginFailuresPerIp;
    if (accountLocked || ipLocked) {
      const wait = Math.max(accountLocked ? byAccount.resetSeconds : 0, ipLocked ? byIp.resetSeconds : 0);
      throw tooManyRequests(wait, 'Too many failed sign-in attempts; please wait before trying again');
    }
  }

  async recordFailure(account: string, ip: string): Promise<void> {
    if (!this.config.rateLimits) return;
    const window = this.config.auth.loginWindowSeconds;
    await Promise.all([this.store.hit(accountKey(account), window), this.store.hit(this.ipKey(ip), window)]);
  }

  async recordSuccess(account: string): Promise<void> {
    if (!this.config.rateLimits) return;
    await this.store.reset(accountKey(account));
  }

  /** The address under the keyed hash (a plain hash of an IPv4 address is reversed by trying them all). */
  private ipKey(ip: string): string {
    return `login-fail:ip:${keyedIpHash(this.config.comments.ipHashSecret, ip)}`;
  }
}

/** Keys hold a hash, not the login or the IP itself: Redis never stores who tried to sign in. */
const hashed = (value: string) => createHash('sha256').update(value).digest('base64url');
const accountKey = (account: string) => `login-fail:account:${hashed(account)}`;
