import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { ChatAccess } from './chat-access';
import { ChatHandshake } from './chat-handshake';
import { ChatHub } from './chat-hub';
import { ChatMessageModeration } from './chat-moderation';
import { ChatPacing } from './chat-pacing';
import { ChatGateway } from './chat.gateway';
import { ChatListener } from './chat.listener';
import { MessagesService } from './messages/messages.service';
import { PresenceService } from './presence/presence.service';
import { RoomMembership } from './rooms/room-membership.service';
import { RoomModeration } from './rooms/room-moderation.service';
import { RoomsController } from './rooms/rooms.controller';
import { RoomsService } from './rooms/rooms.service';
import { StarterRooms } from './rooms/starter-rooms';
import { ChatMemberData } from './chat-member-data';

/**
 * Live support chat: rooms, messages, presence, and the /chat Socket.IO namespace. Stands on auth (the principal
 * resolver), users' blocks, publishing (the gate and the content registry) and common; imports no other content
 * feature, and moderation reaches it only through the content registry and events.
 */
@Module({
  imports: [AuthModule, UsersModule],
  controllers: [RoomsController],
  providers: [
    ChatGateway,
    ChatHandshake,
    ChatHub,
    ChatListener,
    ChatAccess,
    ChatPacing,
    ChatMessageModeration,
    PresenceService,
    RoomsService,
    RoomMembership,
    RoomModeration,
    MessagesService,
    StarterRooms,
    ChatMemberData,
  ],
  // The chat's web pages render rooms, history and presence, and send from a form, through these same services.
  exports: [RoomsService, MessagesService, PresenceService, ChatAccess],
})
export class ChatModule {}
