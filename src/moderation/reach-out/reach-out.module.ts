import { Module } from '@nestjs/common';
import { ConversationsModule } from '../../conversations/conversations.module';
import { ModerationModule } from '../moderation.module';
import { ReachOutController } from './reach-out.controller';
import { ReachOutService } from './reach-out.service';

/**
 * Reaching out from the queue: the one place moderation asks a content feature for something, a care conversation
 * (ConversationsService.startCare). Kept apart from ModerationModule so that the rest of moderation still reaches
 * content only through the content registry (the dependency rule `reach-out-asks-only-start-care` names it).
 */
@Module({
  imports: [ModerationModule, ConversationsModule],
  controllers: [ReachOutController],
  providers: [ReachOutService],
  exports: [ReachOutService],
})
export class ReachOutModule {}
