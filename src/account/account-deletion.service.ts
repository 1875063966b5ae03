import { createHmac } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { accountOf, LoginThrottle } from '../auth/login-throttle';
import { verifyPassword } from '../auth/passwords';
import { SessionsService } from '../auth/sessions.service';
import { Clock } from '../common/clock/clock';
import { forbidden, notFound } from '../common/errors/domain-error';
import { type ContentChoice, MemberDataRegistry } from '../common/member-data/member-data';
import { hashToken, newToken } from '../common/tokens/one-time-token';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Jobs } from '../jobs/jobs';
import { MailOutbox } from '../mail/outbox';
import { MemberRecord } from '../users/member-record';
import { UsersService } from '../users/users.service';
import { DAY_MS, DELETION_QUEUE, GRACE_DAYS } from './account.constants';

export interface DeletionStatus {
  status: 'none' | 'pending';
  content?: ContentChoice;
  dueAt?: string;
}

export const WRONG_PASSWORD = 'password is not the password of your account';

/**
 * "Delete my account": she proves her password and chooses what becomes of her words; every session ends and a
 * mail with a cancel link goes to her. After the grace period (a durable job queued for the due time, and an
 * hourly sweep in case one is lost) every feature forgets her in one transaction, and her member row goes last.
 * She may sign in during the grace period: her account pages then say when it will be deleted, with a button
 * that cancels it (signing in alone cancels nothing).
 */
@Injectable()
export class AccountDeletionService {
  private readonly logger = new Logger('AccountDeletion');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly jobs: Jobs,
    private readonly mail: MailOutbox,
    private readonly clock: Clock,
    private readonly registry: MemberDataRegistry,
    private readonly members: MemberRecord,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
  ) {
    jobs.define<{ userId: string }>(
      DELETION_QUEUE,
      { retryLimit: 5, retryDelaySeconds: 60, expireInSeconds: 600 },
      async ({ userId }) => {
        await this.deleteIfDue(userId);
      },
    );
  }

  async request(userId: string, input: { password: string; content: ContentChoice }, ip: string) {
    await this.checkPassword(userId, input.password, ip);
    const profile = await this.members.profile(userId);
    if (!profile) throw notFound('User');
    const { token, hash } = newToken();
    const dueAt = new Date(this.clock.now() + GRACE_DAYS * DAY_MS);
    await this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO account_deletions (user_id, content, requested_at, due_at, cancel_token_hash)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id) DO UPDATE SET content = $2, requested_at = $3, due_at = $4, cancel_token_hash = $5`,
        [userId, input.content, this.clock.date(), dueAt, hash],
      );
      await this.jobs.send(m, DELETION_QUEUE, { userId }, dueAt);
      await this.mail.queue(m, {
        key: `deletion:${hash.slice(0, 24)}`,
        to: profile.email,
        userId,
        kind: 'account',
        content: {
          subject: 'Your Haven account will be deleted in 7 days',
          greeting: `Hello ${profile.displayName},`,
          paragraphs: [
            `You asked us to delete your Haven account. We will delete it on ${dueAt.toUTCString()}.`,
            input.content === 'delete'
              ? 'Your posts, comments and chat messages will be deleted with it.'
              : 'Your posts, comments and chat messages will stay, signed "Former member" instead of your name.',
            'Until then you can change your mind: the button below keeps your account, just as it is.',
          ],
          action: {
            label: 'Keep my account',
            url: `${this.config.mail.publicUrl}/account/deletion/cancel?token=${token}`,
          },
          after: ['If you did not ask for this, use the button and then change your password.'],
        },
      });
    });
    await this.sessions.endAll(userId, { reason: 'account_deleted' });
    return this.status(userId);
  }

  async status(userId: string): Promise<DeletionStatus> {
    const rows = (await this.db.query(`SELECT content, due_at AS "dueAt" FROM account_deletions WHERE user_id = $1`, [
      userId,
    ])) as Array<{ content: ContentChoice; dueAt: Date }>;
    const row = rows[0];
    return row ? { status: 'pending', content: row.content, dueAt: row.dueAt.toISOString() } : { status: 'none' };
  }

  /** By the signed-in member: 404 when nothing is pending. */
  async cancel(userId: string): Promise<void> {
    const rows = (await this.db.query(`DELETE FROM account_deletions WHERE user_id = $1 RETURNING user_id`, [
      userId,
    ])) as [unknown[], number];
    if (rows[0].length === 0) throw notFound('Deletion request');
  }

  /** By the link in the mail: the token works once, until the account is gone. */
  async cancelByToken(token: string): Promise<void> {
    const rows = (await this.db.query(
      `DELETE FROM account_deletions WHERE cancel_token_hash = $1 AND due_at > $2 RETURNING user_id`,
      [hashToken(token), this.clock.date()],
    )) as [unknown[], number];
    if (rows[0].length === 0) throw notFound('Deletion request');
  }

  /** Whether a cancel link still works (the page shows its button only then). */
  async tokenIsLive(token: string): Promise<boolean> {
    const rows = (await this.db.query(`SELECT 1 FROM account_deletions WHERE cancel_token_hash = $1 AND due_at > $2`, [
      hashToken(token),
      this.clock.date(),
    ])) as unknown[];
    return rows.length > 0;
  }

  /** Carries out every deletion that is due (the hourly sweep; tests call it after moving the clock). */
  async sweep(): Promise<number> {
    const due = (await this.db.query(`SELECT user_id AS "userId" FROM account_deletions WHERE due_at <= $1`, [
      this.clock.date(),
    ])) as Array<{ userId: string }>;
    let done = 0;
    for (const { userId } of due) if (await this.deleteIfDue(userId)) done += 1;
    return done;
  }

  /** One transaction: the request is locked (a cancel waits, or wins), every feature forgets her, her row goes. */
  async deleteIfDue(userId: string): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const rows = (await m.query(
        `SELECT content FROM account_deletions WHERE user_id = $1 AND due_at <= $2 FOR UPDATE SKIP LOCKED`,
        [userId, this.clock.date()],
      )) as Array<{ content: ContentChoice }>;
      if (!rows[0]) return false;
      await this.forget(m, userId, rows[0].content);
      return true;
    });
  }

  private async forget(m: EntityManager, userId: string, content: ContentChoice): Promise<void> {
    const name = await this.users.nameOf(userId);
    if (!name) return;
    const who = {
      userId,
      username: name.username,
      content,
      formerMemberId: await this.members.formerMemberId(m),
      pseudonym: this.pseudonymOf(userId),
    };
    for (const part of this.registry.all()) if (part.forget) await part.forget(m, who);
    await this.members.erase(m, userId);
    this.logger.log(`account deleted: ${who.pseudonym}`);
  }

  /** Stable for one member, meaningless without the server's secret. */
  private pseudonymOf(userId: string): string {
    const hash = createHmac('sha256', this.config.comments.ipHashSecret).update(`member:${userId}`).digest('hex');
    return `former-member-${hash.slice(0, 10)}`;
  }

  /** As for a password change: wrong guesses count in the sign-in brake, so a stolen session cannot guess. */
  private async checkPassword(userId: string, password: string, ip: string): Promise<void> {
    const attempt = { account: accountOf(userId, ''), ip };
    await this.throttle.claimReauthentication(attempt);
    const mine = await this.users.ownCredentials(userId);
    if (!(await verifyPassword(mine.passwordHash, password))) throw forbidden(WRONG_PASSWORD);
    await this.throttle.succeeded(attempt);
  }
}
