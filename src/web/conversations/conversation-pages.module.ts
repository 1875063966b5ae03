import { Module } from '@nestjs/common';
import { ConversationsModule } from '../../conversations/conversations.module';
import { ConversationPages } from './conversation-pages';
import { ConversationPagesController } from './conversation-pages.controller';
import { ConversationSettingsController } from './conversation-settings.controller';

/**
 * Private conversations in a browser: her list, starting one, a conversation (live with the conversation island),
 * leaving, and who may message her (a message is reported on moderation's one form, /report/message/:id). Pages read and work without JavaScript.
 */
@Module({
  imports: [ConversationsModule],
  controllers: [ConversationPagesController, ConversationSettingsController],
  providers: [ConversationPages],
})
export class ConversationPagesModule {}
