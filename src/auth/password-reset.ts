import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { badInput } from '../common/errors/domain-error';
import { addressHash } from '../mail/address';
import { MailOutbox } from '../mail/outbox';
import { MemberAddresses } from '../users/member-addresses';
import { UsersService } from '../users/users.service';
import { AccountMail, type ResetOffer } from './account-mail';
import { AccountMailLimits } from './account-mail-limits';
import { AccountTokens } from './account-tokens';
import { LoginThrottle } from './login-throttle';
import { passwordWeakness } from './password-policy';
import { hashPassword } from './passwords';
import { SessionsService } from './sessions.service';

/**
 * Forgotten passwords. Asking answers the same whatever the address (known, unknown, unconfirmed, or past its
 * limit), after the same steps: one lookup, one count, one transaction. A mail goes only to an address that
 * has an account. Choosing the new password ends every session and lifts the sign-in brake on the account.
 */
@Injectable()
export class PasswordReset {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly addresses: MemberAddresses,
    private readonly tokens: AccountTokens,
    private readonly outbox: MailOutbox,
    private readonly mail: AccountMail,
    private readonly limits: AccountMailLimits,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
  ) {}

  async request(email: string, ip: string): Promise<void> {
    await this.limits.resetFromClient(ip);
    const hash = addressHash(this.config.comments.ipHashSecret, email);
    const [holders, allowed] = await Promise.all([
      this.addresses.resetHolders(email),
      this.limits.resetToAddress(hash),
    ]);
    const to = allowed ? holders : [];
    await this.db.transaction(async (m) => {
      const offers: ResetOffer[] = [];
      for (const holder of to) {
        offers.push({ holder, token: (await this.tokens.issue(m, holder.id, 'reset', email)).token });
      }
      if (offers.length === 0) return;
      await this.outbox.queue(m, {
        key: `reset:${hash.slice(0, 16)}:${offers[0].token.slice(0, 16)}`,
        to: email,
        userId: offers.length === 1 ? offers[0].holder.id : null,
        kind: 'account',
        content: this.mail.reset(offers),
      });
    });
  }

  /** 400 naming token unless the link is live (its page shows the form only then). */
  async check(token: string): Promise<void> {
    await this.tokens.peek(token, 'reset');
  }

  /**
   * The link used with a new password: the policy applies to her account (400 naming `password`, the link still
   * good), then the link is spent, the password set, an address she had not confirmed is confirmed (the link
   * came to it), and every session ends.
   */
  async confirm(token: string, password: string): Promise<void> {
    const link = await this.tokens.peek(token, 'reset');
    const weakness = passwordWeakness(password, await this.users.ownCredentials(link.userId));
    if (weakness) throw badInput('password', `is too easy to guess: ${weakness}`);
    const passwordHash = await hashPassword(password);
    const used = await this.db.transaction(async (m) => {
      const spent = await this.tokens.use(m, token, 'reset');
      await this.tokens.retire(m, spent.userId, ['reset']);
      await this.users.setPasswordHash(spent.userId, passwordHash, m);
      await this.addresses.confirm(m, spent.userId, spent.email);
      return spent;
    });
    await this.sessions.endAll(used.userId, { reason: 'password_reset' });
    await this.throttle.clearAccount(used.userId);
  }
}
