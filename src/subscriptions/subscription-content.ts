import { Injectable } from '@nestjs/common';
import { CommentMailReads } from '../comments/comment-mail-reads';
import type { MailItem } from '../common/mail-items';
import { ForumMailReads } from '../forums/forum-mail-reads';
import type { PublishedType } from '../publishing/publications';
import type { TargetType } from './subscription.constants';
import { SubscriptionsStore } from './subscriptions.store';

/** Read at most this many items for one digest (one more than shown tells "there is more"). */
const WINDOW_LIMIT = 21;

/**
 * The content mail is about, always read from the features that own it and only while it is published: one new item
 * (sent at once), or a place's items within a digest's window (the window's ids from subscription_activity).
 */
@Injectable()
export class SubscriptionContent {
  constructor(
    private readonly forums: ForumMailReads,
    private readonly articles: CommentMailReads,
    private readonly store: SubscriptionsStore,
  ) {}

  async load(type: PublishedType, ids: string[]): Promise<MailItem[]> {
    if (type === 'post') return this.forums.posts(ids);
    if (type === 'thread') return this.forums.threads(ids);
    return this.articles.comments(ids);
  }

  /** Published items of a place in [from, to), oldest first, at most WINDOW_LIMIT. */
  async window(type: TargetType, targetId: string, from: Date, to: Date): Promise<MailItem[]> {
    if (type === 'newsletter') return this.articles.newPages(from, to, WINDOW_LIMIT);
    const rows = await this.store.activity(type, targetId, from, to, WINDOW_LIMIT);
    const byType = new Map<PublishedType, string[]>();
    for (const r of rows) byType.set(r.contentType, [...(byType.get(r.contentType) ?? []), r.contentId]);
    const items: MailItem[] = [];
    for (const [t, ids] of byType) items.push(...(await this.load(t, ids)));
    return items.sort((a, b) => a.at.getTime() - b.at.getTime());
  }
}
