import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import type { Principal } from '../common/auth/principal';
import { badInput, forbidden } from '../common/errors/domain-error';
import { addressHash } from '../mail/address';
import { MailOutbox } from '../mail/outbox';
import { type AddressHolder, MemberAddresses } from '../users/member-addresses';
import { UsersService } from '../users/users.service';
import { AccountMail } from './account-mail';
import { AccountMailLimits } from './account-mail-limits';
import { AccountTokens } from './account-tokens';
import type { AccountTokenPurpose } from './account-tokens.constants';
import type { ChangeEmailDto } from './dto/account-mail.dto';
import { accountOf, LoginThrottle } from './login-throttle';
import { verifyPassword } from './passwords';
import { SessionsService } from './sessions.service';

/** 403, as for a password change: the request is well formed, but it does not prove who is asking. */
export const WRONG_PASSWORD = 'password is not the password of your account';

const EVERY_LINK: AccountTokenPurpose[] = ['verify', 'reset', 'email_change', 'email_undo'];

/**
 * Moving an account to a new address: she proves her password, the new address proves itself by a link, and then
 * the old address gets an undo link for 7 days. The answer never tells whether the new address has an account:
 * if another account confirmed it, its owner is told kindly instead, and nothing changes.
 */
@Injectable()
export class EmailChange {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly addresses: MemberAddresses,
    private readonly tokens: AccountTokens,
    private readonly outbox: MailOutbox,
    private readonly mail: AccountMail,
    private readonly limits: AccountMailLimits,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionsService,
  ) {}

  async request(me: Principal, input: ChangeEmailDto, ip: string): Promise<void> {
    await this.provePassword(me, input.password, ip);
    const mine = await this.addresses.state(me.id);
    if (input.email === mine.email && mine.confirmed) throw badInput('email', 'is already your address');
    await this.limits.emailChange(me.id);
    const hash = addressHash(this.config.comments.ipHashSecret, input.email);
    const owner = await this.addresses.confirmedHolder(input.email);
    const mayNotice = owner ? await this.limits.noticeToAddress(hash) : false;
    await this.db.transaction(async (m) => {
      if (!owner) return this.sendLink(m, mine, input.email);
      if (mayNotice) return this.tellOwner(m, owner, input.email, hash);
    });
  }

  /** The new address's link used: it becomes hers, confirmed, and the old one (if it was confirmed) can undo it. */
  async confirm(token: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const link = await this.tokens.use(m, token, 'email_change');
      const { previous, previousConfirmed } = await this.addresses.replace(m, link.userId, link.email);
      await this.tokens.retire(m, link.userId, ['verify', 'email_change']);
      if (!previousConfirmed || previous === link.email) return;
      const holder = await this.addresses.state(link.userId, m);
      const undo = await this.tokens.issue(m, link.userId, 'email_undo', previous);
      await this.outbox.queue(m, {
        key: undo.key,
        to: previous,
        userId: link.userId,
        kind: 'account',
        content: this.mail.addressChanged(holder, link.email, undo.token),
      });
    });
  }

  /**
   * The undo link used: the old address comes back, confirmed; every other link of the account ends, and so does
   * every session (whoever changed it may be signed in).
   */
  async undo(token: string): Promise<void> {
    const userId = await this.db.transaction(async (m) => {
      const link = await this.tokens.use(m, token, 'email_undo');
      await this.addresses.replace(m, link.userId, link.email);
      await this.tokens.retire(m, link.userId, EVERY_LINK);
      return link.userId;
    });
    await this.sessions.endAll(userId, { reason: 'email_change_undone' });
  }

  /** As a password change does: wrong guesses count in the sign-in brake (a stolen token cannot guess it). */
  private async provePassword(me: Principal, password: string, ip: string): Promise<void> {
    const attempt = { account: accountOf(me.id, ''), ip };
    await this.throttle.claimReauthentication(attempt);
    const mine = await this.users.ownCredentials(me.id);
    if (!(await verifyPassword(mine.passwordHash, password))) throw forbidden(WRONG_PASSWORD);
    await this.throttle.succeeded(attempt);
  }

  private async sendLink(m: EntityManager, holder: AddressHolder, email: string): Promise<void> {
    const link = await this.tokens.issue(m, holder.id, 'email_change', email);
    await this.outbox.queue(m, {
      key: link.key,
      to: email,
      userId: holder.id,
      kind: 'account',
      content: this.mail.confirmNewAddress(holder, link.token),
    });
  }

  private async tellOwner(m: EntityManager, owner: AddressHolder, email: string, hash: string): Promise<void> {
    await this.outbox.queue(m, {
      key: `email-asked:${hash.slice(0, 16)}:${randomBytes(8).toString('hex')}`,
      to: email,
      userId: owner.id,
      kind: 'notice',
      content: this.mail.addressAskedForElsewhere(owner),
      unsubscribe: { scope: 'notice', id: hash },
    });
  }
}
