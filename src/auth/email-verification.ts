import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { badInput, conflict } from '../common/errors/domain-error';
import { addressHash } from '../mail/address';
import { MailOutbox } from '../mail/outbox';
import type { UserView } from '../users/dto/user.dto';
import { type AddressHolder, MemberAddresses } from '../users/member-addresses';
import { type NewUser, UsersService } from '../users/users.service';
import { AccountMail } from './account-mail';
import { AccountMailLimits } from './account-mail-limits';
import { AccountTokens, DEAD_LINK } from './account-tokens';

/**
 * Confirming a member's address: the link mailed at sign-up (in the account's own transaction), again on request,
 * and its use. Sign-up never tells whether an address has an account: with an address another account confirmed,
 * the new account is made all the same, unable ever to confirm it, and the address's owner is told instead.
 */
@Injectable()
export class EmailVerification {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly users: UsersService,
    private readonly addresses: MemberAddresses,
    private readonly tokens: AccountTokens,
    private readonly outbox: MailOutbox,
    private readonly mail: AccountMail,
    private readonly limits: AccountMailLimits,
  ) {}

  /** A new account and its one mail, committed together (a taken username is the only refusal: 409). */
  async createAccount(input: NewUser): Promise<UserView> {
    const hash = addressHash(this.config.comments.ipHashSecret, input.email);
    return this.db.transaction(async (m) => {
      const owner = await this.addresses.confirmedHolder(input.email, m);
      const user = await this.users.create({ ...input, emailConfirmable: !owner }, m);
      if (!owner) await this.sendLink(m, user, input.email);
      else if (await this.limits.noticeToAddress(hash)) await this.tellOwner(m, owner, input.email, hash);
      return user;
    });
  }

  /** The link again, for a signed-in member whose address is not confirmed yet (429 when asked too often). */
  async resend(userId: string): Promise<void> {
    const state = await this.addresses.state(userId);
    if (state.confirmed) throw conflict('email is already confirmed');
    await this.limits.resend(userId);
    // An address another account confirmed first gets nothing from this account (its owner was told at sign-up);
    // the answer is the same, so the request says nothing about that address.
    if (!state.confirmable) return;
    await this.db.transaction((m) => this.sendLink(m, state, state.email));
  }

  /** The mailed link used: the address is confirmed (once; a used, expired or stale link is a 400 naming token). */
  async confirm(token: string): Promise<void> {
    await this.db.transaction(async (m) => {
      const link = await this.tokens.use(m, token, 'verify');
      if (!(await this.addresses.confirm(m, link.userId, link.email))) throw badInput('token', DEAD_LINK);
      await this.tokens.retire(m, link.userId, ['verify']);
    });
  }

  private async sendLink(m: EntityManager, holder: AddressHolder, email: string): Promise<void> {
    const link = await this.tokens.issue(m, holder.id, 'verify', email);
    await this.outbox.queue(m, {
      key: link.key,
      to: email,
      userId: holder.id,
      kind: 'account',
      content: this.mail.verify(holder, link.token),
    });
  }

  /** "Someone tried to join with your address", with a reset link for its owner (a notice: she can stop them). */
  private async tellOwner(m: EntityManager, owner: AddressHolder, email: string, hash: string): Promise<void> {
    const link = await this.tokens.issue(m, owner.id, 'reset', email);
    await this.outbox.queue(m, {
      key: `signup-taken:${link.key}`,
      to: email,
      userId: owner.id,
      kind: 'notice',
      content: this.mail.signUpWithYourAddress(owner, link.token),
      unsubscribe: { scope: 'notice', id: hash },
    });
  }
}
