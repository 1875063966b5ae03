import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { EVENTS, type EventPayload } from '../common/events';
import { blocksApplyTo } from '../publishing/content-policy';
import { UsersService } from '../users/users.service';
import { NotificationsService, type NewNotification } from './notifications.service';

type Reason = 'mention' | 'reply' | 'watch';

/**
 * Turns published posts into notifications: a mention, else a reply to your post, else a reply in a thread you
 * watch. Never for the author, never naming an anonymous author, never to someone who blocked the author unless
 * the post is anonymous: the content policy's block rule (a missing notification would name the author). The
 * thread's watchers, the author's name as members see it and who blocked the author come with the event (read with
 * the post); the mentioned members are asked of the users feature.
 */
@Injectable()
export class NotificationsListener {
  private readonly logger = new Logger(NotificationsListener.name);

  constructor(
    private readonly users: UsersService,
    private readonly notifications: NotificationsService,
  ) {}

  @OnEvent(EVENTS.postPublished, { async: true, promisify: true })
  async onPostPublished(e: EventPayload<typeof EVENTS.postPublished>): Promise<void> {
    try {
      const mentioned = await this.users.idsByUsername(e.mentions);
      const blockers = new Set(blocksApplyTo(e) ? e.blockerIds : []);
      const items: NewNotification[] = recipients(e, mentioned, blockers).map(([userId, reason]) => ({
        userId,
        kind: reason === 'mention' ? 'mention' : 'reply',
        mailable: !e.crisis,
        data: {
          reason,
          threadId: e.threadId,
          threadTitle: e.threadTitle,
          postId: e.postId,
          excerpt: e.excerpt,
          by: e.by,
        },
      }));
      await this.notifications.create(items);
    } catch (err) {
      this.logger.warn(`notifications for post ${e.postId}: ${(err as Error).message}`);
    }
  }
}

/** Each member once, for the first reason that applies (mention, reply, watch), by member id. */
function recipients(
  e: EventPayload<typeof EVENTS.postPublished>,
  mentioned: string[],
  blockers: Set<string>,
): Array<[string, Reason]> {
  const candidates: Array<[string, Reason]> = [
    ...mentioned.map((id): [string, Reason] => [id, 'mention']),
    ...(e.replyToAuthorId ? [[e.replyToAuthorId, 'reply'] as [string, Reason]] : []),
    ...(e.isFirstPost ? [] : e.watcherIds.map((id): [string, Reason] => [id, 'watch'])),
  ];
  const chosen = new Map<string, Reason>();
  for (const [id, reason] of candidates) {
    if (id !== e.authorId && !blockers.has(id) && !chosen.has(id)) chosen.set(id, reason);
  }
  return [...chosen].sort(([a], [b]) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
}
