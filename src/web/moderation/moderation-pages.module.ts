import { Module } from '@nestjs/common';
import { ChatModule } from '../../chat/chat.module';
import { ModerationModule } from '../../moderation/moderation.module';
import { ReachOutModule } from '../../moderation/reach-out/reach-out.module';
import { UsersModule } from '../../users/users.module';
import { AuditPagesController } from './audit.controller';
import { MessageReportPagesController } from './message-report.controller';
import { QueuePagesController } from './queue.controller';
import { RoomPagesController } from './rooms.controller';
import { SanctionPagesController } from './sanctions.controller';
import { WatchedWordPagesController } from './watched-words.controller';

/**
 * The moderators' pages (/mod): the queue (with the context of reported private messages and "Reach out"),
 * sanctions, watched words, the audit log and chat rooms; and the members' form to report a private message. They stand on the
 * moderation and chat services the API uses; the lists only pages show (the queue's counts, active sanctions with
 * their issuer, watched words with their author, rooms' restrictions) are asked of the same services.
 */
@Module({
  imports: [ModerationModule, ReachOutModule, ChatModule, UsersModule],
  controllers: [
    QueuePagesController,
    SanctionPagesController,
    WatchedWordPagesController,
    AuditPagesController,
    RoomPagesController,
    MessageReportPagesController,
  ],
})
export class ModerationPagesModule {}
