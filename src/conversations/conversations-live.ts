import { Injectable } from '@nestjs/common';
import { Realtime } from '../common/realtime/realtime';
import type { ConversationMessageEvent } from './conversation-events';
import type { ConversationMessageView } from './conversation-views';

/**
 * What conversations send to clients, over the `/chat` namespace through Realtime: every event goes to members'
 * own rooms (each member's sockets, on every process), never to a socket object.
 */
@Injectable()
export class ConversationsLive {
  constructor(private readonly realtime: Realtime) {}

  /**
   * A message to these members' sockets. The author's socket that sent it has its acknowledgement; her other tabs
   * get the message like everyone else.
   */
  message(userIds: string[], message: ConversationMessageView, exceptSocketId?: string): void {
    const event: ConversationMessageEvent = { conversationId: message.conversationId, message };
    this.realtime.toUsers(userIds, 'conversation:message', event, exceptSocketId);
  }

  left(userIds: string[], conversationId: string, username: string): void {
    this.realtime.toUsers(userIds, 'conversation:left', { conversationId, username });
  }
}
