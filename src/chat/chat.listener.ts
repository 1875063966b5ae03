import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { hasRole } from '../common/auth/principal';
import { EVENTS, type EventPayload } from '../common/events';
import { ChatHub } from './chat-hub';

/**
 * What other features announce that live sockets must feel at once. The event fires on the process that handled
 * the request; the hub addresses Socket.IO rooms, so the effect reaches the member's sockets on every process.
 */
@Injectable()
export class ChatListener {
  constructor(private readonly hub: ChatHub) {}

  /** Suspended or banned: every socket of theirs is cut. Silence needs nothing here: each send reads it. */
  @OnEvent(EVENTS.userSanctioned)
  onSanctioned(e: EventPayload<typeof EVENTS.userSanctioned>): void {
    if (e.kind === 'silence') return;
    const until = e.until ? ` until ${e.until}` : '';
    const message = e.kind === 'ban' ? 'Your account is banned' : `Your account is suspended${until}`;
    this.hub.endSessions({ userId: e.userId }, e.kind, message);
  }

  @OnEvent(EVENTS.sessionsRevoked)
  onSessionsRevoked(e: EventPayload<typeof EVENTS.sessionsRevoked>): void {
    const message = 'This session has ended; please sign in again';
    if (e.sessionIds === 'all') this.hub.endSessions({ userId: e.userId }, e.reason, message);
    else this.hub.endSessions({ sessionIds: e.sessionIds }, e.reason, message);
  }

  @OnEvent(EVENTS.userRoleChanged)
  onRoleChanged(e: EventPayload<typeof EVENTS.userRoleChanged>): void {
    const was = hasRole({ role: e.from }, 'moderator');
    const is = hasRole({ role: e.to }, 'moderator');
    if (was !== is) this.hub.setModerator(e.userId, is);
  }

  @OnEvent(EVENTS.moderationAlert)
  onModerationAlert(e: EventPayload<typeof EVENTS.moderationAlert>): void {
    this.hub.alertModerators({
      kind: e.kind,
      itemId: e.itemId,
      targetType: e.targetType,
      targetId: e.targetId,
      excerpt: e.excerpt,
    });
  }

  /** A new notification, pushed to the member's own sockets as the REST list would show it (from the event). */
  @OnEvent(EVENTS.notificationCreated)
  onNotification(e: EventPayload<typeof EVENTS.notificationCreated>): void {
    if (!this.hub.attached) return;
    this.hub.notify(e.userId, {
      id: e.notificationId,
      kind: e.kind,
      data: e.data,
      read: false,
      createdAt: e.createdAt,
    });
  }
}
