import { Injectable } from '@nestjs/common';
import { badInput } from '../common/errors/domain-error';
import type { ContentStatus } from './content-policy';

export type ModeratedType = 'post' | 'thread' | 'comment' | 'chat_message' | 'user';
export type ModerationStatus = ContentStatus;

/** What a moderator sees of one piece of content (or a profile) in the queue. */
export interface ContentForReview {
  targetType: ModeratedType;
  targetId: string;
  authorId: string | null;
  status: ModerationStatus;
  anonymous: boolean;
  title?: string;
  body: string;
  bodyHtml?: string;
  /** Where it lives, for a link: e.g. `{threadId}` for posts. */
  context?: Record<string, string>;
  createdAt: Date;
}

/**
 * The small interface each content feature gives moderation: load something for review, and move it between
 * states (publish on approve/restore, hide, delete, reject), keeping its own counters right. Moderation acts on any
 * content through this, so the queue never imports a content feature.
 */
export interface ModeratableContent {
  readonly targetType: ModeratedType;
  /** Undefined when there is no such item. */
  load(id: string): Promise<ContentForReview | undefined>;
  setStatus(id: string, status: Exclude<ModerationStatus, 'pending'>): Promise<void>;
}

/** Content features register their handler at start-up; moderation looks them up by target type. */
@Injectable()
export class ContentRegistry {
  private readonly handlers = new Map<ModeratedType, ModeratableContent>();

  register(handler: ModeratableContent): void {
    this.handlers.set(handler.targetType, handler);
  }

  get(type: ModeratedType): ModeratableContent {
    const handler = this.handlers.get(type);
    if (!handler) throw badInput('targetType', `${type} cannot be moderated yet`);
    return handler;
  }
}
