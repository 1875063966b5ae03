import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { AuditListener } from './audit/audit.listener';
import { AuditService } from './audit/audit.service';
import { ModerationController } from './moderation.controller';
import { QueueReader } from './queue/queue-reader';
import { ReportedContext } from './queue/reported-context';
import { ReachOutSettingsService } from './reach-out/reach-out-settings.service';
import { QueueService } from './queue/queue.service';
import { ReportsService } from './reports/reports.service';
import { SanctionsService } from './sanctions/sanctions.service';
import { StarterCrisisPhrases } from './watched-words/starter-crisis-phrases';
import { WatchedWordsService } from './watched-words/watched-words.service';
import { ModerationMemberData } from './moderation-member-data';

/**
 * Reports, the one queue, watched words, sanctions and the audit log. Reaches content only through the publishing
 * gate (rules) and the content registry (actions); no content feature imports it.
 */
@Module({
  imports: [AuthModule, NotificationsModule],
  controllers: [ModerationController],
  providers: [
    AuditService,
    AuditListener,
    QueueService,
    QueueReader,
    ReportedContext,
    ReachOutSettingsService,
    ReportsService,
    SanctionsService,
    WatchedWordsService,
    // Outside production, a fresh install watches the starter crisis phrases from its first start.
    StarterCrisisPhrases,
    ModerationMemberData,
  ],
  exports: [
    AuditService,
    QueueService,
    ReportedContext,
    ReachOutSettingsService,
    ReportsService,
    SanctionsService,
    WatchedWordsService,
  ],
})
export class ModerationModule {}
