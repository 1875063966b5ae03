import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import { badInput, notFound } from '../../common/errors/domain-error';
import { decodeCursor } from '../../common/pagination';
import { CategoriesService } from '../../forums/categories/categories.service';
import { isModerator } from '../../forums/forum-views';
import { PostsService } from '../../forums/posts/posts.service';
import { ThreadsService } from '../../forums/threads/threads.service';
import type { FormRefusal } from '../core/forms';
import { view, type View } from '../core/page-result';
import { quotedForReply } from '../../common/markdown/markdown';
import { authorLabel, isId, postItem, when } from './forum-format';

const POSTS_PER_PAGE = 20;
/** `?page=last`: a number past any thread's end, which the posts service brings back to the last page. */
const LAST_PAGE = 999_999;

/** The reply form on a thread page, as typed (and, after a refusal or a preview, why or how it looks). */
export interface Composer {
  body: string;
  anonymous: boolean;
  contentWarning: string;
  replyToId: string;
  preview?: string;
  error?: string;
  /** The refusal itself, every problem by its field (the form's error summary). */
  problem?: FormRefusal;
}

export interface ThreadPageOptions {
  /** `?page=N`: a page by its number. */
  page?: string;
  /** `?cursor=`: the page holding the first post after this keyset cursor (links to a post use it). */
  cursor?: string;
  quote?: string;
  support?: boolean;
  composer?: Composer;
  status?: number;
  retryAfterSeconds?: number;
}

/** What the page's address asks for: a page number, or the page holding the post after a cursor. */
function pageWanted(options: ThreadPageOptions): { page?: number; after?: string } {
  if (options.page === 'last') return { page: LAST_PAGE };
  if (options.page !== undefined && options.page !== '') {
    if (!/^\d{1,6}$/.test(options.page) || Number(options.page) < 1) throw badInput('page', 'must be a page number');
    return { page: Number(options.page) };
  }
  if (options.cursor) return { after: String(decodeCursor(options.cursor, 'i')![0]) };
  return { page: 1 };
}

export interface Pager {
  prev: string | null;
  next: string | null;
  /** Page numbers near this one, with the first and last; a gap is `null` (shown as "…"). */
  numbers: Array<{ n: number; href: string; current: boolean } | null>;
  page: number;
  pages: number;
}

/** Previous, next and page numbers: the first, the last, and two either side of this one. */
export function pager(page: number, pages: number, href: (n: number) => string): Pager | null {
  if (pages <= 1) return null;
  const numbers: Pager['numbers'] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 2) numbers.push({ n, href: href(n), current: n === page });
    else if (numbers[numbers.length - 1] !== null) numbers.push(null);
  }
  return {
    prev: page > 1 ? href(page - 1) : null,
    next: page < pages ? href(page + 1) : null,
    numbers,
    page,
    pages,
  };
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
    const want = pageWanted(options);
    const [{ thread, posts: page }, categories, quotedPost] = await Promise.all([
      this.threads.page(id, want, POSTS_PER_PAGE, viewer),
      moderator ? this.categories.list() : Promise.resolve([]),
      viewer && isId(options.quote) ? this.posts.getOne(options.quote, viewer).catch(() => undefined) : undefined,
    ]);
    const locked = thread.locked && !moderator;
    const canReply = !!viewer && thread.status === 'published' && !locked && !viewer.sanction;
    let composer = options.composer;
    if (!composer && canReply) {
      const quote = quotedPost && quotedPost.threadId === id && quotedPost.body !== null ? quotedPost : undefined;
      composer = {
        body: quote ? quotedForReply(quote.id, quote.body ?? '') : '',
        anonymous: false,
        contentWarning: '',
        replyToId: quote?.id ?? '',
      };
    }
    const pageHref = (n: number) => (n === 1 ? `/t/${id}` : `/t/${id}?page=${n}`);
    const here = pageHref(page.page);
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
        // "Quote" links: this page, with `quote=<post id>` added.
        quoteBase: page.page > 1 ? `/t/${id}?page=${page.page}&quote=` : `/t/${id}?quote=`,
        pageNumber: page.page,
        pager: pager(page.page, page.pages, pageHref),
        // Her own posts on this page that wait for a moderator: said again beside the reply form.
        myPending: page.items.some((p) => p.mine === true && p.status === 'pending'),
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
        // Quoting a selection, for a member who can reply; guests and readers load no JavaScript.
        islands: canReply ? ['quote'] : [],
      },
    );
  }
}
