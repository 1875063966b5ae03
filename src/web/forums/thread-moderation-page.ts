import { Injectable } from '@nestjs/common';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { plainTextExcerpt } from '../../common/markdown/markdown';
import { CategoriesService } from '../../forums/categories/categories.service';
import { ForumModeration } from '../../forums/forum-moderation';
import { SPLIT_MAX, SplitThreadDto } from '../../forums/threads/dto/thread.dto';
import { ThreadEditsService } from '../../forums/threads/thread-edits.service';
import { ThreadsService } from '../../forums/threads/threads.service';
import { submit, type Submitted } from '../core/form.pipe';
import { field, type FormRefusal } from '../core/forms';
import { type PageResult, redirect, type View, view } from '../core/page-result';
import { safeLocalPath } from '../core/safe-path';
import { authorLabel, isId, when, withQuery } from './forum-format';

const SPLIT_PAGE_SIZE = SPLIT_MAX;

/** The split form as typed: the chosen replies, the new thread's title and category. */
export interface SplitForm {
  posts: string[];
  title: string;
  category: string;
}

/** The API's split, as the form sends it. */
export class SplitThreadFormDto extends SplitThreadDto {}

const chosen = (body: unknown): string[] => {
  const value = (body as Record<string, unknown> | undefined)?.posts;
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string');
};

export const SPLIT_FORM = {
  dto: SplitThreadFormDto,
  typed: (body: unknown): SplitForm => ({
    posts: chosen(body),
    title: field(body, 'title'),
    category: field(body, 'category'),
  }),
};

/** What a moderator does to posts where he reads them: hide, restore, and split replies into a thread of their own. */
@Injectable()
export class ThreadModerationPage {
  constructor(
    private readonly threads: ThreadsService,
    private readonly threadEdits: ThreadEditsService,
    private readonly categories: CategoriesService,
    private readonly moderation: ForumModeration,
  ) {}

  async hideOrRestore(me: Principal, id: string, action: 'hide' | 'restore', body: unknown): Promise<PageResult> {
    if (!isId(id)) throw notFound('Post');
    await this.moderation.hideOrRestore(me, id, action);
    const back = safeLocalPath(field(body, 'back').split('#')[0], '/');
    return redirect(
      `${back}#post-${id}`,
      action === 'hide' ? 'The post is hidden from members.' : 'The post is restored: members can read it again.',
    );
  }

  async splitForm(id: string, me: Principal, cursor: string | undefined, typed?: SplitForm, refused?: FormRefusal) {
    if (!isId(id)) throw notFound('Thread');
    // `cursor` is the page number of the thread's replies (?cursor=2), as the thread page numbers its pages.
    const pageNo = Math.max(1, Number.parseInt(cursor ?? '1', 10) || 1);
    const [{ thread, posts }, categories] = await Promise.all([
      // With their Markdown: the form shows an excerpt of each.
      this.threads.page(id, { page: pageNo }, SPLIT_PAGE_SIZE, me, { source: true }),
      this.categories.list(),
    ]);
    // The first page starts with the opening post, which stays where it is.
    const replies = posts.page > 1 ? posts.items : posts.items.slice(1);
    const form = typed ?? { posts: [], title: '', category: thread.category.slug };
    return view(
      'Split replies into a new thread',
      {
        thread: { id: thread.id, title: thread.title, status: thread.status },
        replies: replies
          .filter((p) => p.status !== 'deleted' && p.status !== 'rejected')
          .map((p) => ({
            id: p.id,
            author: authorLabel(p.author).name,
            when: when(p.createdAt, me),
            createdAt: p.createdAt,
            status: p.status,
            excerpt: p.body === null ? '' : plainTextExcerpt(p.body, 140),
            checked: form.posts.includes(p.id),
          })),
        nextHref: posts.page < posts.pages ? withQuery(`/t/${id}/split`, { cursor: String(posts.page + 1) }) : null,
        cursor: cursor ?? '',
        categories: categories.map((c) => ({ slug: c.slug, name: c.name, selected: c.slug === form.category })),
        form,
        error: refused?.message,
      },
      { status: refused?.status ?? 200, noindex: true },
    ) as View;
  }

  async split(id: string, me: Principal, form: Submitted<SplitForm, SplitThreadFormDto>): Promise<PageResult> {
    if (!isId(id)) throw notFound('Thread');
    return submit(
      form,
      async (input) => {
        const created = await this.threadEdits.split(me, id, {
          postIds: input.posts,
          title: input.title,
          category: input.category,
        });
        return redirect(`/t/${created}`, 'The chosen replies are now a thread of their own.');
      },
      (refused) => this.splitForm(id, me, field(form.body, 'cursor') || undefined, form.typed, refused),
      ['not_found'],
    );
  }
}
