import { Module } from '@nestjs/common';
import { ConversationsModule } from '../../conversations/conversations.module';
import { ModerationModule } from '../../moderation/moderation.module';
import { ConversationPages } from './conversation-pages';
import { ConversationPagesController } from './conversation-pages.controller';
import { ConversationReportController } from './conversation-report.controller';
import { ConversationSettingsController } from './conversation-settings.controller';

/**
 * Private conversations in a browser: her list, starting one, a conversation (live with the conversation island),
 * leaving, reporting a message, and who may message her. Pages read and work without JavaScript.
 */
@Module({
  imports: [ConversationsModule, ModerationModule],
  controllers: [ConversationPagesController, ConversationReportController, ConversationSettingsController],
  providers: [ConversationPages],
})
export class ConversationPagesModule {}
