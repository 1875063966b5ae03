import { links } from '../core/links';
import type { NotificationView } from '../../notifications/notifications.service';
import type { ZoneClock } from '../core/dates';

/** One notification as the list shows it: a sentence (the link, when there is somewhere to go) and an excerpt. */
export interface NotificationItem {
  id: string;
  kind: string;
  read: boolean;
  createdAt: string;
  when: string;
  text: string;
  href?: string;
  excerpt?: string;
}

/**
 * Where a notification leads, on the web pages. Threads are `/t/<id>` with each post at `#post-<id>`, article
 * comments at `#comment-<id>` on the article's page: the forum and article pages keep those addresses.
 */
/** A post's address, or its thread's when the notification names no post. */
const linkToPost = (threadId: string, postId?: string) =>
  postId ? links.post(threadId, postId) : links.thread(threadId);

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The words and the link of each kind: a mention, a reply (to you, or in a thread you follow), a moderation outcome. */
export function notificationItem(n: NotificationView, zone: ZoneClock): NotificationItem {
  const d = n.data;
  const by = (d.by as { displayName?: unknown } | undefined)?.displayName;
  const who = str(by) ?? 'Someone';
  const title = str(d.threadTitle) ?? 'a thread';
  const base = { id: n.id, kind: n.kind, read: n.read, createdAt: n.createdAt, when: zone.clock(n.createdAt) };
  const excerpt = str(d.excerpt);
  const threadId = str(d.threadId);
  const postHref = threadId ? linkToPost(threadId, str(d.postId)) : undefined;
  if (n.kind === 'mention') return { ...base, text: `${who} mentioned you in “${title}”`, href: postHref, excerpt };
  if (n.kind === 'reply') {
    const text =
      d.reason === 'watch'
        ? `${who} replied in “${title}”, a thread you follow`
        : `${who} replied to you in “${title}”`;
    return { ...base, text, href: postHref, excerpt };
  }
  return {
    ...base,
    text: str(d.message) ?? 'A moderator looked at something you wrote.',
    href: moderationHref(d),
    excerpt,
  };
}

function moderationHref(d: Record<string, unknown>): string | undefined {
  const id = str(d.targetId);
  if (!id) return undefined;
  const threadId = str(d.threadId);
  const pageKey = str(d.pageKey);
  const room = str(d.room);
  switch (d.targetType) {
    case 'thread':
      return linkToPost(id);
    case 'post':
      return threadId ? linkToPost(threadId, id) : undefined;
    case 'comment':
      return pageKey ? links.comment(pageKey, id) : undefined;
    case 'chat_message':
      return room ? links.room(room) : undefined;
    case 'conversation_message':
      return str(d.conversationId) ? `/messages/${encodeURIComponent(str(d.conversationId)!)}#m-${id}` : '/messages';
    case 'user':
      return '/settings';
    default:
      return undefined;
  }
}
