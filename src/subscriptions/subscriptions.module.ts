import { Module, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ExportRow, MemberDataRegistry } from '../common/member-data/member-data';
import { AuthModule } from '../auth/auth.module';
import { CommentsModule } from '../comments/comments.module';
import { EmailPreferencesModule } from '../email-preferences/email-preferences.module';
import { ForumsModule } from '../forums/forums.module';
import { MailModule } from '../mail/mail.module';
import { UnsubscribeLinks } from '../mail/unsubscribe';
import { UsersModule } from '../users/users.module';
import { DigestRunner } from './digests';
import { SubscriptionFanout } from './fanout';
import { UNSUBSCRIBE_SCOPE } from './subscription.constants';
import { SubscriptionContent } from './subscription-content';
import { SubscriptionTargets } from './subscription-targets';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';
import { SubscriptionsStore } from './subscriptions.store';

/**
 * "Get Email Updates": subscriptions to articles, categories, threads and new articles (double opt-in), mail for
 * each new item or a daily/weekly digest, and the `subscription` unsubscribe scope. Reads content only through the
 * owners (forums, comments); hears of new content through Publications.
 */
@Module({
  imports: [UsersModule, AuthModule, MailModule, ForumsModule, CommentsModule, EmailPreferencesModule],
  controllers: [SubscriptionsController],
  providers: [
    SubscriptionsStore,
    SubscriptionTargets,
    SubscriptionContent,
    SubscriptionsService,
    SubscriptionFanout,
    DigestRunner,
  ],
  exports: [SubscriptionsService, DigestRunner],
})
export class SubscriptionsModule implements OnModuleInit {
  constructor(
    private readonly links: UnsubscribeLinks,
    private readonly subscriptions: SubscriptionsService,
    private readonly memberData: MemberDataRegistry,
    private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    // Her email updates go into her archive; when she goes, they stop and go.
    this.memberData.register({
      section: 'subscriptions',
      exportBatch: async (userId, after, limit) =>
        (await this.db.query(
          `SELECT id, target_type AS "targetType", target_id AS "targetId", frequency, confirmed_at AS "confirmedAt",
                  created_at AS "createdAt"
             FROM subscriptions WHERE user_id = $1 AND ($2::bigint IS NULL OR id > $2) ORDER BY id LIMIT $3`,
          [userId, after, limit],
        )) as ExportRow[],
      forget: async (m, who) => {
        await m.query(`DELETE FROM subscriptions WHERE user_id = $1`, [who.userId]);
      },
    });
    this.links.register(UNSUBSCRIBE_SCOPE, (id, m) =>
      /^\d{1,18}$/.test(id)
        ? this.subscriptions.unsubscribe(id, m)
        : Promise.resolve('These email updates were already stopped.'),
    );
  }
}
