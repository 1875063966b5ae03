import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { CategoriesService } from '../../forums/categories/categories.service';
import { PostWritesService } from '../../forums/posts/post-writes.service';
import { CreateThreadDto } from '../../forums/threads/dto/thread.dto';
import { ThreadsService } from '../../forums/threads/threads.service';
import { SubscriptionsService } from '../../subscriptions/subscriptions.service';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { checked, field, type FormRefusal } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { plural, threadItem, when, withQuery } from './forum-format';
import { afterPosting } from './forum-outcomes';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';

const RECENT = 8;
const THREADS_PER_PAGE = 20;

interface ThreadForm {
  title: string;
  body: string;
  anonymous: boolean;
  contentWarning: string;
}

const emptyForm = (): ThreadForm => ({ title: '', body: '', anonymous: false, contentWarning: '' });

const THREAD_FORM = {
  dto: CreateThreadDto,
  labels: { title: 'Title', body: 'Your message', contentWarning: 'Content warning' },
  typed: (body: unknown): ThreadForm => ({
    title: field(body, 'title'),
    body: field(body, 'body'),
    anonymous: checked(body, 'anonymous'),
    contentWarning: field(body, 'contentWarning'),
  }),
  values: (form: ThreadForm) => ({
    title: form.title,
    body: form.body,
    anonymous: form.anonymous,
    contentWarning: form.contentWarning.trim() || undefined,
  }),
};

/** The home page, a category's threads, and starting a thread. */
@WebController()
export class ForumPagesController {
  constructor(
    private readonly categories: CategoriesService,
    private readonly threads: ThreadsService,
    private readonly subscriptions: SubscriptionsService,
    private readonly postWrites: PostWritesService,
  ) {}

  @Get()
  @Page('forums/home', {
    description:
      'Haven: peer support discussions for people living with metastatic breast cancer and those who care for them.',
  })
  async home(@CurrentUser() viewer?: Principal) {
    const [categories, recent] = await Promise.all([this.categories.list(), this.threads.recent(RECENT, viewer)]);
    const unread = viewer
      ? await this.threads.withUnread(
          viewer,
          recent.map((t) => t.id),
        )
      : new Set<string>();
    return view('Discussions', {
      categories: categories.map((c) => ({
        slug: c.slug,
        name: c.name,
        description: c.description,
        threads: plural(c.threadCount, 'thread'),
        lastPostAt: c.lastPostAt,
        when: c.lastPostAt ? when(c.lastPostAt, viewer) : null,
      })),
      recent: recent.map((t) => ({ ...threadItem(t, viewer), unread: unread.has(t.id) })),
    });
  }

  @Get('c/:slug')
  @Page('forums/category')
  async category(@Param('slug') slug: string, @Query('cursor') cursor?: string, @CurrentUser() viewer?: Principal) {
    const category = await this.categories.get(slug);
    const mine = viewer
      ? await this.subscriptions.mineFor(viewer, { type: 'category', key: category.slug })
      : undefined;
    const page = await this.threads.list(slug, { cursor: cursor || undefined, limit: THREADS_PER_PAGE }, viewer);
    const unread = viewer
      ? await this.threads.withUnread(
          viewer,
          page.items.map((t) => t.id),
        )
      : new Set<string>();
    const path = `/c/${category.slug}`;
    return view(
      category.name,
      {
        category,
        threads: page.items.map((t) => ({ ...threadItem(t, viewer), unread: unread.has(t.id) })),
        nextHref: page.nextCursor ? withQuery(path, { cursor: page.nextCursor }) : null,
        firstHref: cursor ? path : null,
        box: { targetType: 'category', targetKey: category.slug, next: `${path}#updates`, current: mine?.frequency },
      },
      { description: category.description || undefined },
    );
  }

  @Get('c/:slug/new')
  @MembersOnly()
  @Page('forums/new-thread', { noindex: true })
  async newThread(@Param('slug') slug: string) {
    return threadForm(await this.categories.get(slug), emptyForm());
  }

  @Cost(COSTS.markdown)
  @Post('c/:slug/new')
  @MembersOnly()
  @HttpCode(200)
  @Page('forums/new-thread', { noindex: true })
  async startThread(
    @Param('slug') slug: string,
    @Form(THREAD_FORM) form: Submitted<ThreadForm, CreateThreadDto>,
    @CurrentUser() me: Principal,
  ) {
    const category = await this.categories.get(slug);
    if (form.intent === 'preview')
      return threadForm(category, form.typed, { preview: await this.postWrites.preview(form.typed.body) });
    return submit(
      form,
      async (input) => {
        const created = await this.threads.create(me, category.slug, input);
        const { to, flash } = afterPosting(`/t/${created.thread.id}`, created, 'thread');
        return redirect(to, flash);
      },
      (refused) => threadForm(category, form.typed, { problem: refused }, refused.status, refused.retryAfterSeconds),
    );
  }
}

function threadForm(
  category: { slug: string; name: string },
  form: ThreadForm,
  extra: { preview?: string; problem?: FormRefusal } = {},
  status = 200,
  retryAfterSeconds?: number,
) {
  return view(
    `Start a thread in ${category.name}`,
    { category, form, preview: extra.preview, error: extra.problem?.message, problem: extra.problem },
    { status, retryAfterSeconds },
  );
}
