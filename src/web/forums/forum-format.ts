import { plural, readerZone } from '../core/dates';
import { links } from '../core/links';
import { heldReasonSentence } from '../core/held-reasons';
import type { Principal } from '../../common/auth/principal';
import { type AuthorView, isModerator, type PostView, type ThreadView } from '../../forums/forum-views';
import { withinEditWindow } from '../../forums/posts/edit-rules';
import type { SearchHit } from '../../forums/search/search.service';
import { REACTION_KINDS, type ReactionKind } from '../../forums/posts/post-reaction.constants';
import { REPORT_REASONS, type ReportReason } from '../../moderation/reports/report.constants';

/** What the forum pages show for dates, authors, reactions and paging: plain values the templates print. */

export { plural };

/** Forum times read as "5 minutes ago", then as a date in the reader's zone. */
export const when = (iso: string, reader: Principal | undefined, now = Date.now()): string =>
  readerZone(reader).ago(iso, now);

/**
 * The author as the page names them: anonymous posts say "Anonymous member" to everyone. Moderators also get a note
 * of who wrote it, printed apart from the name and marked as theirs, so the name is never quoted by mistake.
 */
export function authorLabel(author: AuthorView): { name: string; anonymousNote?: string } {
  if (author.username === null) return { name: 'Anonymous member' };
  if (author.anonymous !== true) return { name: author.displayName };
  return {
    name: 'Anonymous member',
    anonymousNote: `${author.displayName} posted anonymously as @${author.username}; visible to moderators only`,
  };
}

export const REACTION_LABELS: Record<ReactionKind, string> = {
  support: 'Support',
  hug: 'Hug',
  same: 'Same here',
  thanks: 'Thanks',
};

/** The reaction buttons' form values: "hug:on" adds a hug, "hug:off" takes it back. */
const ADD = Object.fromEntries(REACTION_KINDS.map((k) => [k, `${k}:on`])) as Record<ReactionKind, string>;
const TAKE_BACK = Object.fromEntries(REACTION_KINDS.map((k) => [k, `${k}:off`])) as Record<ReactionKind, string>;

export const REASON_LABELS: Record<ReportReason, string> = {
  spam: 'Spam or advertising',
  abuse: 'Unkind, abusive or harassing',
  misinformation: 'Harmful medical misinformation',
  self_harm: 'Someone may be at risk of harming themselves',
  other: 'Something else',
};

export const REPORT_REASON_OPTIONS = REPORT_REASONS.map((value) => ({ value, label: REASON_LABELS[value] }));

export interface ReactionButton {
  kind: ReactionKind;
  label: string;
  count: number;
  pressed: boolean;
  /** The form value that toggles it: "hug:on" to add, "hug:off" to take back. */
  value: string;
}

/** The thread page's version of a post: everything the template prints, worked out once. */
export interface PostItem {
  id: string;
  author: string;
  /** Moderators only: who wrote an anonymous post. */
  anonymousNote?: string;
  mine: boolean;
  createdAt: string;
  when: string;
  edited: boolean;
  status: PostView['status'];
  bodyHtml: string;
  contentWarning: string | null;
  heldReason?: string;
  crisis: boolean;
  /** The author's (or, for moderators, a member's) edit that waits for a moderator. */
  pendingEditHtml?: string;
  reactions: ReactionButton[];
  /** Guests: the kinds with a count, as text. */
  reactionSummary: Array<{ label: string; count: number }>;
  canReact: boolean;
  canQuote: boolean;
  canReport: boolean;
  /** What the viewer may do to this post besides reading: edit, delete, hide, restore, see its revisions. */
  manage: PostManagement;
}

export interface PostManagement {
  canEdit: boolean;
  canDelete: boolean;
  canHide: boolean;
  canRestore: boolean;
  canSeeRevisions: boolean;
}

/**
 * The author (not sanctioned) edits in the edit window and deletes her posts; moderators do both at any time, hide
 * published posts and restore hidden ones. Revisions are for the author and moderators, as in the API.
 */
export function postManagement(post: PostView, viewer: Principal | undefined, now = Date.now()): PostManagement {
  const moderator = isModerator(viewer);
  const mine = post.mine === true && !viewer?.sanction;
  const live = post.status !== 'deleted' && post.status !== 'rejected';
  return {
    canEdit:
      live &&
      (moderator ||
        (mine &&
          (post.status === 'published' || post.status === 'pending') &&
          !!viewer &&
          withinEditWindow(viewer, post.createdAt, now))),
    canDelete: live && (moderator || mine),
    canHide: moderator && post.status === 'published',
    canRestore: moderator && post.status === 'hidden',
    canSeeRevisions: post.editedAt !== null && (moderator || post.mine === true),
  };
}

export function postItem(post: PostView, viewer: Principal | undefined, canReply: boolean): PostItem {
  const { name, anonymousNote } = authorLabel(post.author);
  const published = post.status === 'published';
  const mine = post.mine === true;
  // A silenced member reads only: no buttons that would be refused.
  const canAct = !!viewer && !viewer.sanction;
  return {
    id: post.id,
    author: name,
    anonymousNote,
    mine,
    createdAt: post.createdAt,
    when: when(post.createdAt, viewer),
    edited: post.editedAt !== null,
    status: post.status,
    bodyHtml: post.bodyHtml,
    contentWarning: post.contentWarning,
    heldReason: post.heldReasons ? heldReasonSentence(post.heldReasons) : undefined,
    crisis: mine && post.status === 'pending' && !!post.heldReasons?.some((r) => r.code === 'crisis'),
    pendingEditHtml: post.pendingEdit?.bodyHtml,
    reactions: REACTION_KINDS.map((kind) => {
      const pressed = post.reactions.mine.includes(kind);
      return {
        kind,
        label: REACTION_LABELS[kind],
        count: post.reactions[kind],
        pressed,
        value: pressed ? TAKE_BACK[kind] : ADD[kind],
      };
    }),
    reactionSummary: REACTION_KINDS.filter((kind) => post.reactions[kind] > 0).map((kind) => ({
      label: REACTION_LABELS[kind],
      count: post.reactions[kind],
    })),
    canReact: canAct && published,
    // A published post's text is everyone's to read (the content policy), so it can be quoted.
    canQuote: published && canReply,
    canReport: published && !mine && (!viewer || canAct),
    manage: postManagement(post, viewer),
  };
}

export interface ThreadItem {
  id: string;
  title: string;
  author: string;
  anonymousNote?: string;
  category: { slug: string; name: string };
  pinned: boolean;
  locked: boolean;
  replies: string;
  lastPostAt: string;
  when: string;
}

export function threadItem(thread: ThreadView, reader: Principal | undefined): ThreadItem {
  const { name, anonymousNote } = authorLabel(thread.author);
  return {
    id: thread.id,
    title: thread.title,
    author: name,
    anonymousNote,
    category: thread.category,
    pinned: thread.pinned,
    locked: thread.locked,
    replies: thread.replyCount === 1 ? '1 reply' : `${thread.replyCount} replies`,
    lastPostAt: thread.lastPostAt,
    when: when(thread.lastPostAt, reader),
  };
}

/** A thread page that starts with this post, scrolled to it. */
export const pageStartingAt = links.post;

/** A path with a query string that keeps only what is set. */
export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const parts = Object.entries(query)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

export const isId = (value: string | undefined): value is string => !!value && /^\d{1,18}$/.test(value);

/** A search result as the search page lists it: where it leads, its excerpt, who wrote it (anonymous stays so). */
export function searchItem(hit: SearchHit, reader: Principal | undefined) {
  return {
    type: hit.type,
    title: hit.threadTitle,
    href: hit.type === 'thread' ? `/t/${hit.threadId}` : pageStartingAt(hit.threadId, hit.postId),
    excerpt: hit.excerpt,
    author: authorLabel(hit.author).name,
    createdAt: hit.createdAt,
    when: when(hit.createdAt, reader),
  };
}
