import { Injectable } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { EVENTS, type EventPayload } from '../../common/events';
import { AuditService } from './audit.service';

/** Moderator and admin actions raised by other features (content, categories, roles from the CLI). */
@Injectable()
export class AuditListener {
  constructor(private readonly audit: AuditService) {}

  @OnEvent(EVENTS.contentModerated, { async: true, promisify: true })
  onContentModerated(e: EventPayload<typeof EVENTS.contentModerated>): Promise<void> {
    return this.audit.record({
      actorId: e.actorId,
      action: `${e.targetType}.${e.action}`,
      targetType: e.targetType,
      targetId: e.targetId,
      note: e.note,
    });
  }

  @OnEvent(EVENTS.chatModerated, { async: true, promisify: true })
  onChatModerated(e: EventPayload<typeof EVENTS.chatModerated>): Promise<void> {
    return this.audit.record({
      actorId: e.actorId,
      action: `chat.${e.action}`,
      targetType: e.targetType,
      targetId: e.targetId,
      note: e.note,
    });
  }

  @OnEvent(EVENTS.userRoleChanged, { async: true, promisify: true })
  onRoleChanged(e: EventPayload<typeof EVENTS.userRoleChanged>): Promise<void> {
    return this.audit.record({
      actorId: e.by === 'cli' ? null : e.by,
      action: 'user.role',
      targetType: 'user',
      targetId: e.username,
      note: `${e.from} -> ${e.to}${e.by === 'cli' ? ' (admin CLI)' : ''}`,
      details: { from: e.from, to: e.to },
    });
  }
}
