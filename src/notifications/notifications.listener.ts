import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import { EVENTS, type EventPayload } from '../common/events';
import { blocksApplyTo } from '../publishing/content-policy';
import { NotificationsService, type NewNotification } from './notifications.service';

/**
 * Turns published posts into notifications: a mention, else a reply to your post, else a reply in a thread you
 * watch. Never for the author, never naming an anonymous author, never to someone who blocked the author unless
 * the post is anonymous: the content policy's block rule (a missing notification would name the author). The
 * thread's watchers come with the event (forums owns the subscriptions).
 */
@Injectable()
export class NotificationsListener {
  private readonly logger = new Logger(NotificationsListener.name);

  constructor(
    private readonly db: DataSource,
    private readonly notifications: NotificationsService,
  ) {}

  @OnEvent(EVENTS.postPublished, { async: true, promisify: true })
  async onPostPublished(e: EventPayload<typeof EVENTS.postPublished>): Promise<void> {
    try {
      const recipients = (await this.db.query(
        `WITH candidates AS (
           SELECT u.id, 'mention' AS reason, 1 AS priority FROM users u WHERE u.username = ANY($3::text[])
           UNION ALL
           SELECT $4::bigint, 'reply', 2 WHERE $4::bigint IS NOT NULL
           UNION ALL
           SELECT w.id, 'watch', 3 FROM unnest($2::bigint[]) AS w(id) WHERE NOT $5
         )
         SELECT DISTINCT ON (c.id) c.id AS "userId", c.reason FROM candidates c
          WHERE c.id <> $1
            AND (NOT $6 OR NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = c.id AND b.blocked_id = $1))
          ORDER BY c.id, c.priority`,
        [e.authorId, e.watcherIds, e.mentions, e.replyToAuthorId, e.isFirstPost, blocksApplyTo(e)],
      )) as Array<{ userId: string; reason: 'mention' | 'reply' | 'watch' }>;
      const who = e.anonymous ? null : await this.authorName(e.authorId);
      const items: NewNotification[] = recipients.map((r) => ({
        userId: r.userId,
        kind: r.reason === 'mention' ? 'mention' : 'reply',
        data: {
          reason: r.reason,
          threadId: e.threadId,
          threadTitle: e.threadTitle,
          postId: e.postId,
          excerpt: e.excerpt,
          by: who ?? { username: null, displayName: 'Anonymous member' },
        },
      }));
      await this.notifications.create(items);
    } catch (err) {
      this.logger.warn(`notifications for post ${e.postId}: ${(err as Error).message}`);
    }
  }

  private async authorName(id: string): Promise<{ username: string; displayName: string } | null> {
    const rows = (await this.db.query(`SELECT username, display_name AS "displayName" FROM users WHERE id = $1`, [
      id,
    ])) as Array<{
      username: string;
      displayName: string;
    }>;
    return rows[0] ?? null;
  }
}
