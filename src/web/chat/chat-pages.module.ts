import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { ChatModule } from '../../chat/chat.module';
import { NotificationsModule } from '../../notifications/notifications.module';
import { ChatPagesController } from './chat-pages.controller';
import { ChatRoomPages } from './chat-room-page';
import { NotificationPagesController } from './notification-pages.controller';

/** The live chat's pages (rooms, a room) and a member's notifications, on the chat's and notifications' services. */
@Module({
  imports: [AuthModule, ChatModule, NotificationsModule],
  controllers: [ChatPagesController, NotificationPagesController],
  providers: [ChatRoomPages],
})
export class ChatPagesModule {}
