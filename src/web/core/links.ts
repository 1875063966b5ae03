import { encodeCursor } from '../../common/pagination';

const enc = encodeURIComponent;

/**
 * The address of each kind of thing on the site, in one place: the forum, the notifications and the moderators'
 * queue all link with these.
 */
export const links = {
  category: (slug: string) => `/c/${enc(slug)}`,
  thread: (threadId: string) => `/t/${enc(threadId)}`,
  /** A thread page that starts with this post (keyset: the cursor is the id just before it), scrolled to it. */
  post: (threadId: string, postId: string) => {
    const before = (BigInt(postId) - 1n).toString();
    return `/t/${enc(threadId)}?cursor=${enc(encodeCursor([before]))}#post-${enc(postId)}`;
  },
  article: (pageKey: string) => `/articles/${enc(pageKey)}`,
  comment: (pageKey: string, commentId: string) => `/articles/${enc(pageKey)}#comment-${enc(commentId)}`,
  room: (slug: string) => `/chat/${enc(slug)}`,
  member: (username: string) => `/u/${enc(username)}`,
};
