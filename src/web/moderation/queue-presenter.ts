import { links } from '../core/links';
import type { Role } from '../../common/auth/role';
import type { Resolution } from '../../moderation/queue/moderation-item.constants';
import type { QueueService } from '../../moderation/queue/queue.service';
import { heldReasonWords as reasonOf, type HeldReasonWords } from '../core/held-reasons';

export type QueueItem = Awaited<ReturnType<QueueService['list']>>['items'][number];

/**
 * Where content lives on the site, for the queue's links. The pages of each area own their addresses; these are the
 * ones they serve (a thread at /t/:id with its posts as #post-:id, an article's comments as #comment-:id, a chat
 * room at /chat/:slug, a member at /u/:username).
 */
export const contentLinks = links;

export const REPORT_REASON_LABELS: Record<string, string> = {
  spam: 'Spam',
  abuse: 'Abuse or harassment',
  misinformation: 'Misinformation',
  self_harm: 'Self-harm or crisis',
  other: 'Something else',
};

const KIND_LABELS: Record<string, string> = {
  post: 'Forum reply',
  thread: 'Forum thread',
  comment: 'Article comment',
  chat_message: 'Chat message',
  conversation_message: 'Private message',
  user: 'Member profile',
};

const STATUS_LABELS: Record<string, string> = {
  pending: 'Held: not visible to members',
  published: 'Published: visible to members',
  hidden: 'Hidden from members',
  deleted: 'Deleted',
  rejected: 'Rejected',
};

const RESOLUTION_LABELS: Record<Resolution, string> = {
  approve: 'Approved',
  reject: 'Rejected',
  hide: 'Hidden',
  restore: 'Restored',
  delete: 'Deleted',
  dismiss: 'Kept (reports dismissed)',
};

export interface QueueAction {
  action: Resolution;
  label: string;
  /** Styles the buttons: the calm choice first and plain, the removing ones secondary. */
  primary: boolean;
}

export type QueueReason = HeldReasonWords;

export interface QueueCard {
  id: string;
  kindLabel: string;
  where: { href: string; label: string } | null;
  title: string | null;
  bodyHtml: string | null;
  bodyText: string | null;
  /** An edit the gate held on published content: members still read the text above until it is approved. */
  pendingEditHtml: string | null;
  statusLabel: string | null;
  crisis: boolean;
  held: boolean;
  autoHidden: boolean;
  createdAt: string;
  author: {
    username: string;
    displayName: string;
    role: string;
    newMember: boolean;
    approvedPosts: number;
    joinedAt: string;
    href: string;
    earlierSanctions: number;
  } | null;
  guestName: string | null;
  anonymous: boolean;
  reasons: QueueReason[];
  reports: {
    count: number;
    byReason: Array<{ label: string; count: number }>;
    items: Array<{ reporter: string; reason: string; note: string | null; createdAt: string }>;
  };
  actions: QueueAction[];
  /** A private message: the moderator may open the few messages around it (a POST: each opening is audited). */
  privateMessage: boolean;
  /** A crisis or self-harm item: the "Reach out" button (the author may be a guest: the button then says why not). */
  reachOut: boolean;
  /** The care conversation already opened from this item, at /messages/:id. */
  careHref: string | null;
  sanctionHref: string | null;
  resolution: { label: string; note: string | null; at: string | null } | null;
}

/** One queue entry as a moderator reads it: what, where, by whom, why it is here, and what can be done. */
export function queueCard(item: QueueItem, viewer: { role: Role }): QueueCard {
  const content = item.content;
  const context = content?.context ?? {};
  const author = item.author;
  return {
    id: item.id,
    kindLabel:
      item.targetType === 'post' && context.openingPost ? 'Forum thread (opening post)' : KIND_LABELS[item.targetType],
    where: whereIs(item),
    title: item.targetType === 'comment' ? null : (content?.title ?? null),
    bodyHtml: content?.bodyHtml ?? null,
    bodyText: content && !content.bodyHtml ? content.body : null,
    pendingEditHtml: content?.pendingEdit ? (content.pendingEdit.bodyHtml ?? '') : null,
    statusLabel: content ? (STATUS_LABELS[content.status] ?? content.status) : null,
    crisis: item.crisis,
    held: item.held,
    autoHidden: item.autoHidden,
    createdAt: content?.createdAt ?? item.createdAt,
    author: author
      ? {
          username: author.username,
          displayName: author.displayName,
          role: author.role,
          newMember: author.newMember,
          approvedPosts: author.approvedPosts,
          joinedAt: author.joinedAt,
          href: contentLinks.member(author.username),
          earlierSanctions: author.sanctions.length,
        }
      : null,
    guestName: context.guestName ?? null,
    anonymous: content?.anonymous ?? false,
    reasons: item.gateReasons.map(reasonOf),
    reports: {
      count: item.reports.count,
      byReason: Object.entries(item.reports.byReason).map(([reason, count]) => ({
        label: REPORT_REASON_LABELS[reason] ?? reason,
        count,
      })),
      items: item.reports.items.map((r) => ({
        reporter: r.reporter,
        reason: REPORT_REASON_LABELS[r.reason] ?? r.reason,
        note: r.note,
        createdAt: r.createdAt,
      })),
    },
    actions: item.status === 'open' ? actionsFor(item) : [],
    privateMessage: item.hasContext,
    reachOut: item.crisis,
    careHref: item.reachOut ? careConversationHref(item.reachOut.conversationId) : null,
    sanctionHref:
      author && item.status === 'open' && mayBeSanctionedBy(author.role as Role, viewer.role)
        ? `/mod/sanctions?user=${encodeURIComponent(author.username)}`
        : null,
    resolution: item.resolution
      ? { label: RESOLUTION_LABELS[item.resolution], note: item.resolutionNote, at: item.resolvedAt }
      : null,
  };
}

/**
 * The resolutions the queue service accepts for the content as it is now (it refuses the others): held content is
 * approved, rejected or deleted; published content kept, hidden or deleted; hidden content restored, kept hidden or
 * deleted; a reported member's reports dismissed (members are acted on with sanctions); gone content closed.
 */
export function actionsFor(item: Pick<QueueItem, 'targetType' | 'content' | 'reportCount'>): QueueAction[] {
  const keep = (label: string): QueueAction => ({ action: 'dismiss', label, primary: true });
  if (item.targetType === 'user') return [keep('Keep (dismiss reports)')];
  if (item.content?.pendingEdit) {
    return [
      { action: 'approve', label: 'Approve the edit', primary: true },
      { action: 'reject', label: 'Reject the edit (keep the published text)', primary: false },
      { action: 'hide', label: 'Hide', primary: false },
      { action: 'delete', label: 'Delete', primary: false },
    ];
  }
  switch (item.content?.status) {
    case 'pending':
      return [
        { action: 'approve', label: 'Approve and publish', primary: true },
        { action: 'reject', label: 'Reject', primary: false },
        { action: 'delete', label: 'Delete', primary: false },
      ];
    case 'published':
      return [
        keep(item.reportCount > 0 ? 'Keep (dismiss reports)' : 'Keep (looks fine)'),
        { action: 'hide', label: 'Hide', primary: false },
        { action: 'delete', label: 'Delete', primary: false },
      ];
    case 'hidden':
      return [
        { action: 'restore', label: 'Restore', primary: true },
        { action: 'hide', label: 'Keep hidden', primary: false },
        { action: 'delete', label: 'Delete', primary: false },
      ];
    default:
      return [keep('Close (already removed)')];
  }
}

/** The conversation page (the conversations pages serve it), where a care conversation opened from the queue goes on. */
export function careConversationHref(conversationId: string): string {
  return `/messages/${encodeURIComponent(conversationId)}`;
}

/** Moderators sanction members; admins also moderators (as the sanctions service rules). */
function mayBeSanctionedBy(target: Role, viewer: Role): boolean {
  return target === 'member' || (target === 'moderator' && viewer === 'admin');
}

function whereIs(item: QueueItem): QueueCard['where'] {
  const content = item.content;
  const context = content?.context ?? {};
  const title = content?.title ? `“${content.title}”` : '';
  switch (item.targetType) {
    case 'thread':
      return { href: contentLinks.thread(item.targetId), label: `Thread ${title}`.trim() };
    case 'post':
      if (!context.threadId) return null;
      return context.openingPost
        ? { href: contentLinks.thread(context.threadId), label: `Thread ${title}`.trim() }
        : { href: contentLinks.post(context.threadId, item.targetId), label: `Reply in ${title || 'a thread'}` };
    case 'comment':
      return context.pageKey
        ? { href: contentLinks.comment(context.pageKey, item.targetId), label: `Comment on ${title || 'an article'}` }
        : null;
    case 'chat_message':
      return context.room ? { href: contentLinks.room(context.room), label: `Chat room ${context.room}` } : null;
    case 'user':
      return item.author
        ? { href: contentLinks.member(item.author.username), label: `Profile of @${item.author.username}` }
        : null;
    default:
      return null;
  }
}
