import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { CategoriesService } from '../../forums/categories/categories.service';
import { isModerator } from '../../forums/forum-views';
import { PostsService } from '../../forums/posts/posts.service';
import { ThreadsService } from '../../forums/threads/threads.service';
import { view, type View } from '../core/page-result';
import { authorLabel, isId, postItem, quoted, when, withQuery } from './forum-format';

const POSTS_PER_PAGE = 20;

/** The reply form on a thread page, as typed (and, after a refusal or a preview, why or how it looks). */
export interface Composer {
  body: string;
  anonymous: boolean;
  contentWarning: string;
  replyToId: string;
  preview?: string;
  error?: string;
}

export interface ThreadPageOptions {
  cursor?: string;
  quote?: string;
  support?: boolean;
  composer?: Composer;
  status?: number;
  retryAfterSeconds?: number;
}

/**
 * The view model of a thread page (template forums/thread): the thread, a page of its posts, the reply form (with a
 * quoted post, or what was typed when it came back), and moderators' tools.
 */
@Injectable()
export class ThreadPage {
  constructor(
    private readonly threads: ThreadsService,
    private readonly posts: PostsService,
    private readonly categories: CategoriesService,
  ) {}

  async view(id: string, viewer: Principal | undefined, options: ThreadPageOptions): Promise<View> {
    if (!isId(id)) throw notFound('Thread');
    const moderator = isModerator(viewer);
    const [{ thread, posts: page }, categories, quotedPost] = await Promise.all([
      this.threads.page(id, { cursor: options.cursor, limit: POSTS_PER_PAGE }, viewer),
      moderator ? this.categories.list() : Promise.resolve([]),
      viewer && isId(options.quote) ? this.posts.getOne(options.quote, viewer).catch(() => undefined) : undefined,
    ]);
    const locked = thread.locked && !moderator;
    const canReply = !!viewer && thread.status === 'published' && !locked && !viewer.sanction;
    let composer = options.composer;
    if (!composer && canReply) {
      const quote = quotedPost && quotedPost.threadId === id && quotedPost.body !== null ? quotedPost : undefined;
      composer = {
        body: quote ? quoted(quote.body ?? '') : '',
        anonymous: false,
        contentWarning: '',
        replyToId: quote?.id ?? '',
      };
    }
    const here = withQuery(`/t/${id}`, { cursor: options.cursor });
    const author = authorLabel(thread.author);
    return view(
      thread.title,
      {
        thread: {
          ...thread,
          authorName: author.name,
          anonymousNote: author.anonymousNote,
          when: when(thread.createdAt, viewer),
        },
        posts: page.items.map((p) => postItem(p, viewer, canReply)),
        here,
        cursor: options.cursor ?? '',
        nextHref: page.nextCursor ? withQuery(`/t/${id}`, { cursor: page.nextCursor }) : null,
        firstHref: options.cursor ? `/t/${id}` : null,
        canReply,
        locked,
        composer: canReply ? composer : undefined,
        // Refused because the thread was locked meanwhile: their text stays on the page, for them to keep.
        kept: !canReply && options.composer ? options.composer.body : '',
        keptError: !canReply && options.composer ? options.composer.error : undefined,
        moderator,
        moveTo: categories.filter((c) => c.slug !== thread.category.slug),
        support: options.support === true && !!viewer,
      },
      {
        status: options.status,
        retryAfterSeconds: options.retryAfterSeconds,
        noindex: thread.status !== 'published' || viewer !== undefined,
      },
    );
  }
}
