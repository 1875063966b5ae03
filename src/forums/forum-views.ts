import { hasRole, type Principal } from '../common/auth/principal';
import type { ContentStatus } from '../publishing/content-policy';
import type { PendingEditView } from '../publishing/publishing-gate';
import type { GateReason } from '../publishing/review-sink';
import type { ReactionKind } from './posts/post-reaction.constants';

/** `author` in API answers. Anonymous: members and guests see no name; moderators still see who wrote it. */
export type AuthorView =
  { username: string; displayName: string; anonymous?: true } | { username: null; displayName: 'Anonymous member' };

/** The content states: the content policy's vocabulary, named here too for the forum's views. */
export type { ContentStatus };

export const ANONYMOUS: AuthorView = { username: null, displayName: 'Anonymous member' };

export const isModerator = (viewer: Principal | undefined): boolean => !!viewer && hasRole(viewer, 'moderator');

export function authorView(
  row: { authorUsername: string; authorDisplayName: string; anonymous: boolean },
  viewer: Principal | undefined,
): AuthorView {
  if (!row.anonymous) return { username: row.authorUsername, displayName: row.authorDisplayName };
  if (isModerator(viewer)) return { username: row.authorUsername, displayName: row.authorDisplayName, anonymous: true };
  return ANONYMOUS;
}

export interface CategoryView {
  id: string;
  slug: string;
  name: string;
  description: string;
  threadCount: number;
  postCount: number;
  lastPostAt: string | null;
  approval: string;
}

export interface ThreadView {
  id: string;
  category: { slug: string; name: string };
  title: string;
  author: AuthorView;
  anonymous: boolean;
  pinned: boolean;
  locked: boolean;
  status: ContentStatus;
  replyCount: number;
  createdAt: string;
  lastPostAt: string;
  subscribed?: boolean;
  mine?: boolean;
}

export type Reactions = Record<ReactionKind, number> & { mine: ReactionKind[] };

export interface PostView {
  id: string;
  threadId: string;
  author: AuthorView;
  body: string | null;
  bodyHtml: string;
  /** The author's content warning, shown before the text (null when none). */
  contentWarning: string | null;
  replyToId: string | null;
  reactions: Reactions;
  anonymous: boolean;
  editedAt: string | null;
  status: ContentStatus;
  createdAt: string;
  mine?: boolean;
  /** For the author and moderators, while it waits: why the gate held it (in words, and as codes for pages). */
  heldReason?: string;
  heldReasons?: GateReason[];
  /** For the author and moderators: an edit the gate holds; members read the published text until it is approved. */
  pendingEdit?: PendingEditView;
}

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
