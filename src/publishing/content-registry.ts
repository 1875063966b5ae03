import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { badInput } from '../common/errors/domain-error';
import type { ContentStatus } from './content-policy';
import { Publications } from './publications';

export type ModeratedType = 'post' | 'thread' | 'comment' | 'chat_message' | 'conversation_message' | 'user';
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
  /** An edit of published content the gate held: the published text above stays visible until it is approved. */
  pendingEdit?: { body: string; bodyHtml?: string; submittedAt: Date };
}

/**
 * The small interface each content feature gives moderation: load something for review, settle a held edit, and
 * move it between states (publish on approve/restore, hide, delete, reject), keeping its own counters right.
 * Moderation acts on any content through this, so the queue never imports a content feature.
 */
export interface ModeratableContent {
  readonly targetType: ModeratedType;
  /** Undefined when there is no such item. */
  load(id: string): Promise<ContentForReview | undefined>;
  /** Many at once (the queue's page), in one query; missing ids are left out. */
  loadMany(ids: string[]): Promise<ContentForReview[]>;
  /**
   * Moves it to a settled state. Given `m`, inside the caller's transaction: the caller runs the answer once it has
   * committed. Without, in a transaction of its own, live effects done before it returns.
   */
  setStatus(id: string, status: Exclude<ModerationStatus, 'pending'>, m?: EntityManager): Promise<AfterCommit>;
  /** A held edit: `apply` makes it the published text (the old one becomes a revision); otherwise it is dropped. */
  settleEdit(id: string, apply: boolean, m?: EntityManager): Promise<void>;
  /**
   * Private content only (conversation messages): whether this member may see it. A report of something the
   * reporter cannot see answers 404. Content without it is visible to whoever may read its place.
   */
  visibleTo?(userId: string, id: string): Promise<boolean>;
  /**
   * Private content only: the `n` messages before and after it in its conversation (the item itself included,
   * `isTarget`), oldest first. The only way a moderator reads a private conversation: reported context.
   */
  contextAround?(id: string, n: number): Promise<ContextMessage[]>;
}

/** One message of a private conversation around a reported one, as a moderator opening the report's context sees it. */
export interface ContextMessage {
  id: string;
  /** Null when the author's account is gone and nothing names her. */
  author: { username: string; displayName: string } | null;
  body: string;
  bodyHtml: string;
  createdAt: Date;
  /** The reported message itself. */
  isTarget: boolean;
}

/** Live effects (broadcasts, "post published" events) to run once the transaction that moved content committed. */
export type AfterCommit = () => void | Promise<void>;

/**
 * Content features register their handler at start-up; moderation looks them up by target type. Content a
 * moderator publishes (approves, restores) inside the moderator's transaction is told to Publications there.
 */
@Injectable()
export class ContentRegistry {
  private readonly handlers = new Map<ModeratedType, ModeratableContent>();

  constructor(private readonly publications: Publications) {}

  register(handler: ModeratableContent): void {
    const type = handler.targetType;
    if (type !== 'thread' && type !== 'post' && type !== 'comment') {
      this.handlers.set(type, handler);
      return;
    }
    const publications = this.publications;
    this.handlers.set(type, {
      targetType: type,
      load: (id) => handler.load(id),
      loadMany: (ids) => handler.loadMany(ids),
      settleEdit: (id, apply, m) => handler.settleEdit(id, apply, m),
      async setStatus(id, status, m) {
        const after = await handler.setStatus(id, status, m);
        if (status === 'published' && m) await publications.published(m, { type, id, mailable: true });
        return after;
      },
    });
  }

  get(type: ModeratedType): ModeratableContent {
    const handler = this.handlers.get(type);
    if (!handler) throw badInput('targetType', `${type} cannot be moderated yet`);
    return handler;
  }
}
