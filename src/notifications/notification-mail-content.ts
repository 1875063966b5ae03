import { encodeCursor } from '../common/pagination';
import type { EmailPreferenceKind } from '../email-preferences/email-preferences.constants';
import type { MailContent } from '../mail/mail-content';
import type { NotificationKind } from './notification.constants';

/** A stored notification, as the mail sees it. */
export interface MailableNotification {
  id: string;
  userId: string;
  kind: NotificationKind;
  data: Record<string, unknown>;
  createdAt: Date;
}

/** Which of her email choices a notification falls under. */
export const PREFERENCE_OF: Record<NotificationKind, EmailPreferenceKind> = {
  reply: 'replies',
  mention: 'mentions',
  moderation: 'moderation',
};

/** Enough of a post to know what it is about, never the whole of it: mail travels and is kept where we cannot see. */
const EXCERPT_CHARACTERS = 140;
/** A bundle lists this many; the rest are counted and wait on the notifications page. */
export const BUNDLE_ITEMS = 25;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function shortExcerpt(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_CHARACTERS) return flat;
  return `${flat.slice(0, EXCERPT_CHARACTERS - 1).replace(/\s+\S*$/, '')}…`;
}

/** The sentence, the link and the short excerpt of one notification (the same words as the notifications page). */
export function describe(n: MailableNotification, site: string): { text: string; url: string; excerpt?: string } {
  const d = n.data;
  // An anonymous author's name was never stored: `by` says "Anonymous member".
  const who = str((d.by as { displayName?: unknown } | undefined)?.displayName) ?? 'Someone';
  const title = str(d.threadTitle) ?? 'a thread';
  const threadId = str(d.threadId);
  const postId = str(d.postId);
  const url = threadId ? postUrl(site, threadId, postId) : `${site}/notifications`;
  const excerpt = shortExcerpt(str(d.excerpt));
  if (n.kind === 'mention') return { text: `${who} mentioned you in “${title}”`, url, excerpt };
  if (n.kind === 'reply') {
    const text =
      d.reason === 'watch'
        ? `${who} replied in “${title}”, a thread you follow`
        : `${who} replied to you in “${title}”`;
    return { text, url, excerpt };
  }
  // A moderator's decision: the message only, never the words it was about (they may be hidden now).
  return { text: str(d.message) ?? 'A moderator looked at something you wrote.', url: `${site}/notifications` };
}

/** One mail for one notification (her choice: as it happens). */
export function immediateMail(n: MailableNotification, name: string, site: string): MailContent {
  const { text, url, excerpt } = describe(n, site);
  const isModeration = n.kind === 'moderation';
  return {
    subject: isModeration ? 'A note from the moderators about something you wrote' : text,
    greeting: `Hello ${name},`,
    paragraphs: [isModeration ? text : `${text}:`, ...(excerpt ? [`“${excerpt}”`] : [])],
    action: {
      label: isModeration ? 'See your notifications' : n.kind === 'mention' ? 'Read it' : 'Read the reply',
      url,
    },
    after: [`You can choose how often we write to you, or stop these mails, in your settings: ${site}/settings`],
  };
}

/** One mail for a morning's bundle: what came since the last one, newest first. */
export function bundleMail(
  items: MailableNotification[],
  name: string,
  site: string,
  period: 'daily' | 'weekly' | 'both',
): MailContent {
  const shown = items.slice(0, BUNDLE_ITEMS);
  const more = items.length - shown.length;
  const since = period === 'daily' ? 'since yesterday morning' : 'this past week';
  return {
    subject: items.length === 1 ? `1 new notification ${since}` : `${items.length} new notifications ${since}`,
    greeting: `Good morning ${name},`,
    paragraphs: [`Here is what happened on Haven ${since}. Take your time; it will all still be there.`],
    items: shown.map((n) => {
      const { text, url, excerpt } = describe(n, site);
      return { title: text, url, ...(excerpt ? { lines: [`“${excerpt}”`] } : {}) };
    }),
    action: { label: 'See all your notifications', url: `${site}/notifications` },
    after: [
      ...(more > 0 ? [`And ${more} more on your notifications page.`] : []),
      `You can choose how often we write to you, or stop these mails, in your settings: ${site}/settings`,
    ],
  };
}

/** A post's place on its thread page (the page that starts with it), as the forum pages link it. */
function postUrl(site: string, threadId: string, postId: string | undefined): string {
  const thread = `${site}/t/${encodeURIComponent(threadId)}`;
  if (!postId || !/^\d+$/.test(postId)) return thread;
  const before = (BigInt(postId) - 1n).toString();
  return `${thread}?cursor=${encodeURIComponent(encodeCursor([before]))}#post-${encodeURIComponent(postId)}`;
}
