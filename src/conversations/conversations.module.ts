import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { ConversationConsent } from './conversation-consent';
import { ConversationsController } from './conversations.controller';
import { ConversationsLive } from './conversations-live';
import { ConversationsService } from './conversations.service';
import { ConversationsStore } from './conversations.store';

/**
 * Private conversations between members (and care conversations the moderation team opens). Stands on users
 * (blocks, names), auth (the sanction reader), publishing (the gate, the content registry) and common (the /chat
 * namespace through Realtime); imports no other content feature, and moderation reaches it only through the
 * content registry and ConversationsService.startCare.
 */
@Module({
  imports: [AuthModule, UsersModule],
  controllers: [ConversationsController],
  providers: [ConversationsService, ConversationsStore, ConversationConsent, ConversationsLive],
  exports: [ConversationsService],
})
export class ConversationsModule {}
