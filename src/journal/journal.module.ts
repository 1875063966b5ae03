import { Module, type OnModuleInit } from '@nestjs/common';
import { MemberDataRegistry } from '../common/member-data/member-data';
import { AuthModule } from '../auth/auth.module';
import { MailModule } from '../mail/mail.module';
import { UsersModule } from '../users/users.module';
import { JournalReminders } from './journal-reminders';
import { JournalController } from './journal.controller';
import { JournalService } from './journal.service';
import { JournalStore } from './journal.store';

/**
 * The private symptom journal (journal_entries, journal_settings, journal_shares, journal_share_views): the API
 * under /api/journal and the service the journal pages ask. Her journal goes into her archive, opened for her, and
 * goes with her account.
 */
@Module({
  imports: [UsersModule, AuthModule, MailModule],
  controllers: [JournalController],
  providers: [JournalService, JournalStore, JournalReminders],
  exports: [JournalService],
})
export class JournalModule implements OnModuleInit {
  constructor(
    private readonly journal: JournalService,
    private readonly store: JournalStore,
    private readonly memberData: MemberDataRegistry,
  ) {}

  onModuleInit(): void {
    this.memberData.register({
      section: 'journal',
      exportBatch: (userId, after, limit) => this.journal.exportBatch(userId, after, limit),
      forget: (m, who) => this.store.forget(m, who.userId),
    });
    this.memberData.register({
      section: 'journal_settings',
      exportBatch: (userId, after) => this.journal.exportSettings(userId, after),
    });
    // Her share links (never their tokens) and their views; the journal part's forget removes them.
    this.memberData.register({
      section: 'journal_shares',
      exportBatch: async (userId, after) => (after ? [] : (await this.journal.shares(userId)).map((s) => ({ ...s }))),
    });
  }
}
