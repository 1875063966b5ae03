import type { Principal } from '../../common/auth/principal';
import { type DomainError, forbidden } from '../../common/errors/domain-error';
import { isModerator } from '../forum-views';

/** How long an author may edit her post (and her thread's title); moderators may always. */
export const EDIT_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Whether `editor` may still edit her own content written at `createdAt`: moderators always, authors in the window. */
export function withinEditWindow(editor: Principal, createdAt: Date | string, now: number): boolean {
  return isModerator(editor) || now - new Date(createdAt).getTime() <= EDIT_WINDOW_MS;
}

/**
 * Why `editor` may not edit this post or title, or undefined when she may: the one rule the API, the pages and the
 * title edit share. Someone else's content is the moderators'; an author's, for 24 hours.
 */
export function editRefusal(
  content: { authorId: string; createdAt: Date | string },
  editor: Principal,
  now: number,
  what: 'post' | 'title',
): DomainError | undefined {
  if (content.authorId !== editor.id && !isModerator(editor)) {
    return forbidden(`Only the author or a moderator may ${what === 'post' ? 'edit this post' : 'change the title'}`);
  }
  if (!withinEditWindow(editor, content.createdAt, now)) {
    return forbidden(
      what === 'post'
        ? 'Posts can be edited for 24 hours; ask a moderator to change it'
        : 'Titles can be changed for 24 hours; ask a moderator to change it',
    );
  }
  return undefined;
}
