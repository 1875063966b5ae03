import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig, LoginBrakeLimits } from '../config/config';
import { tooManyRequests } from '../common/errors/domain-error';
import { keyedIpHash } from '../common/rate-limit/ip-hash';
import { RateLimitStore } from '../common/rate-limit/rate-limit.store';

/** One sign-in attempt as the brake sees it: the account tried (see `accountOf`) and the client's address. */
export interface SignInAttempt {
  account: string;
  ip: string;
}

/** Failures within the window: the client's own (any accounts), this client's on this account, the account's. */
export interface BrakeCounts {
  client: number;
  pair: number;
  account: number;
}

/** `open`: the password decides. `captcha`: a solved captcha must come with it. `refused`: 429 for a while. */
export type BrakeVerdict = 'open' | 'captcha' | 'refused';

/**
 * The brake's one rule, from the counts alone.
 * - A client that failed often (on any accounts) solves a captcha; one that failed far more is refused for a while.
 * - An account failed often from anywhere asks a captcha only of clients that themselves failed on it: the owner,
 *   on a device with no recent failures, signs in with the right password at once, however hard it is attacked.
 * - Nothing else counts. In particular this client's failures on this one account ask for no captcha before its
 *   failures on all accounts do: otherwise three failures by a username, then a try by an email address, would
 *   tell one client whether the two belong to the same member.
 */
export function brakeVerdict(counts: BrakeCounts, limits: LoginBrakeLimits): BrakeVerdict {
  if (counts.client >= limits.clientRefusedAfter) return 'refused';
  if (counts.client >= limits.clientCaptchaAfter) return 'captcha';
  if (counts.pair > 0 && counts.account >= limits.accountCaptchaAfter) return 'captcha';
  return 'open';
}

/**
 * The account an attempt is counted against: the member's id once the login names someone, so a username and its
 * email are one account; else the typed login itself, so a login that names nobody is braked just the same.
 */
export function accountOf(userId: string | undefined, login: string): string {
  return userId ? `user:${userId}` : `login:${login.trim().toLowerCase()}`;
}

/**
 * The sign-in brake: failed sign-ins are counted per client (the keyed hash of its address), per client and
 * account, and per account; `brakeVerdict` decides from the three. It asks for a captcha rather than refusing, so
 * an attacker cannot lock the owner out. Keys hold keyed hashes, never a login or an address. RATE_LIMITS=off lifts
 * it (every attempt is `open` and nothing is counted).
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: RateLimitStore,
  ) {}

  /**
   * Counts the attempt as a failure before its password is checked, so that guesses sent in parallel cannot all
   * slip under the limits, and answers what it needs, judged from the counts before it. A client that failed far
   * too often gets 429 (and that attempt is not counted). Then exactly one of `failed`, `succeeded`, `withdraw`.
   */
  async claim(attempt: SignInAttempt): Promise<Exclude<BrakeVerdict, 'refused'>> {
    if (!this.config.rateLimits) return 'open';
    const before = await this.hitAll(attempt);
    const verdict = brakeVerdict(before.counts, this.limits);
    if (verdict !== 'refused') return verdict;
    await this.withdraw(attempt);
    throw tooManyRequests(before.clientResetSeconds, TOO_MANY);
  }

  /**
   * A signed-in member proving her password again (changing it), claimed like a sign-in. There is no captcha there,
   * so a client that failed on this account as often as would ask for one, or far too often on any, waits (429).
   */
  async claimReauthentication(attempt: SignInAttempt): Promise<void> {
    if (!this.config.rateLimits) return;
    const before = await this.hitAll(attempt);
    const { clientRefusedAfter, clientCaptchaAfter } = this.limits;
    if (before.counts.client < clientRefusedAfter && before.counts.pair < clientCaptchaAfter) return;
    await this.withdraw(attempt);
    throw tooManyRequests(before.clientResetSeconds, TOO_MANY_WRONG);
  }

  /** The claimed attempt's password was wrong (it is counted already): what the next attempt will need. */
  async failed(attempt: SignInAttempt): Promise<BrakeVerdict> {
    if (!this.config.rateLimits) return 'open';
    const keys = this.keys(attempt);
    const [client, pair, account] = await Promise.all([
      this.store.peek(keys.client),
      this.store.peek(keys.pair),
      this.store.peek(keys.account),
    ]);
    return brakeVerdict({ client: client.count, pair: pair.count, account: account.count }, this.limits);
  }

  /**
   * The right password: the claim is given back and this client's failures on this account are forgotten. Its
   * failures on all accounts stay (else signing in to one's own account between guesses would wipe them), and so
   * do the account's.
   */
  async succeeded(attempt: SignInAttempt): Promise<void> {
    if (!this.config.rateLimits) return;
    const keys = this.keys(attempt);
    await Promise.all([this.store.release(keys.client), this.store.release(keys.account), this.store.reset(keys.pair)]);
  }

  /** The claimed attempt checked no password (no captcha, or a wrong one): the claim is given back. */
  async withdraw(attempt: SignInAttempt): Promise<void> {
    if (!this.config.rateLimits) return;
    const keys = this.keys(attempt);
    await Promise.all([keys.client, keys.pair, keys.account].map((key) => this.store.release(key)));
  }

  /** Lifts the account-wide brake (a password reset proves the owner): its failing clients need no captcha for it. */
  async clearAccount(userId: string): Promise<void> {
    await this.store.reset(this.accountKey(accountOf(userId, '')));
  }

  /** One more on each count; answers the counts before it. */
  private async hitAll(attempt: SignInAttempt): Promise<{ counts: BrakeCounts; clientResetSeconds: number }> {
    const keys = this.keys(attempt);
    const window = this.limits.windowSeconds;
    const [client, pair, account] = await Promise.all([
      this.store.hit(keys.client, window),
      this.store.hit(keys.pair, window),
      this.store.hit(keys.account, window),
    ]);
    return {
      counts: { client: client.count - 1, pair: pair.count - 1, account: account.count - 1 },
      clientResetSeconds: client.resetSeconds,
    };
  }

  private get limits(): LoginBrakeLimits {
    return this.config.auth.loginBrake;
  }

  private keys(attempt: SignInAttempt): { client: string; pair: string; account: string } {
    const client = keyedIpHash(this.secret, attempt.ip);
    return {
      client: `login-fail:client:${client}`,
      pair: `login-fail:pair:${this.keyed(attempt.account)}:${client}`,
      account: this.accountKey(attempt.account),
    };
  }

  private accountKey(account: string): string {
    return `login-fail:account:${this.keyed(account)}`;
  }

  /** An HMAC, not a plain hash: a plain hash of an email address is reversed by hashing a list of addresses. */
  private keyed(value: string): string {
    return createHmac('sha256', this.secret).update(`login:${value}`).digest('base64url').slice(0, 32);
  }

  private get secret(): string {
    return this.config.comments.ipHashSecret;
  }
}

const TOO_MANY = 'Too many failed sign-in attempts from your connection; please wait before trying again';
const TOO_MANY_WRONG = 'Too many wrong passwords; please wait before trying again';
