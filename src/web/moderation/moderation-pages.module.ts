import { Module } from '@nestjs/common';
import { ChatModule } from '../../chat/chat.module';
import { ModerationModule } from '../../moderation/moderation.module';
import { AuditPagesController } from './audit.controller';
import { QueuePagesController } from './queue.controller';
import { RoomPagesController } from './rooms.controller';
import { SanctionPagesController } from './sanctions.controller';
import { WatchedWordPagesController } from './watched-words.controller';

/**
 * The moderators' pages (/mod): the queue, sanctions, watched words, the audit log and chat rooms. They stand on the
 * moderation and chat services the API uses; the lists only pages show (the queue's counts, active sanctions with
 * their issuer, watched words with their author, rooms' restrictions) are asked of the same services.
 */
@Module({
  imports: [ModerationModule, ChatModule],
  controllers: [
    QueuePagesController,
    SanctionPagesController,
    WatchedWordPagesController,
    AuditPagesController,
    RoomPagesController,
  ],
})
export class ModerationPagesModule {}
