import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { renderMarkdown } from '../../common/markdown/markdown';
import { CategoriesService } from '../../forums/categories/categories.service';
import { CreateThreadDto } from '../../forums/threads/dto/thread.dto';
import { ThreadsService } from '../../forums/threads/threads.service';
import { checked, field, formRefusal, optional, validated } from '../core/forms';
import { Pages } from '../core/pages';
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

/** The home page, a category's threads, and starting a thread. */
@WebController()
export class ForumPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly categories: CategoriesService,
    private readonly threads: ThreadsService,
  ) {}

  @Get()
  async home(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() viewer?: Principal) {
    const [categories, recent] = await Promise.all([this.categories.list(), this.threads.recent(RECENT, viewer)]);
    return this.pages.render(
      req,
      reply,
      'forums/home',
      'Discussions',
      {
        categories: categories.map((c) => ({
          slug: c.slug,
          name: c.name,
          description: c.description,
          threads: plural(c.threadCount, 'thread'),
          lastPostAt: c.lastPostAt,
          when: c.lastPostAt ? when(c.lastPostAt) : null,
        })),
        recent: recent.map(threadItem),
      },
      {
        description:
          'Haven: peer support discussions for people living with metastatic breast cancer and those who care for them.',
      },
    );
  }

  @Get('c/:slug')
  async category(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Query('cursor') cursor?: string,
    @CurrentUser() viewer?: Principal,
  ) {
    const category = await this.categories.get(slug);
    const page = await this.threads.list(slug, { cursor: cursor || undefined, limit: THREADS_PER_PAGE }, viewer);
    const path = `/c/${category.slug}`;
    return this.pages.render(
      req,
      reply,
      'forums/category',
      category.name,
      {
        category,
        threads: page.items.map(threadItem),
        nextHref: page.nextCursor ? withQuery(path, { cursor: page.nextCursor }) : null,
        firstHref: cursor ? path : null,
      },
      { description: category.description || undefined },
    );
  }

  @Get('c/:slug/new')
  @MembersOnly()
  async newThread(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Param('slug') slug: string) {
    const category = await this.categories.get(slug);
    return this.showForm(req, reply, category, emptyForm());
  }

  @Cost(COSTS.markdown)
  @Post('c/:slug/new')
  @MembersOnly()
  @HttpCode(200)
  async startThread(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('slug') slug: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const category = await this.categories.get(slug);
    const form: ThreadForm = {
      title: field(body, 'title'),
      body: field(body, 'body'),
      anonymous: checked(body, 'anonymous'),
      contentWarning: field(body, 'contentWarning'),
    };
    if (field(body, 'intent') === 'preview') {
      return this.showForm(req, reply, category, form, { preview: renderMarkdown(form.body) });
    }
    try {
      const input = await validated(CreateThreadDto, {
        title: form.title,
        body: form.body,
        anonymous: form.anonymous,
        contentWarning: optional(body, 'contentWarning'),
      });
      const created = await this.threads.create(me, category.slug, input);
      const { to, flash } = afterPosting(`/t/${created.thread.id}`, created, 'thread');
      return this.pages.redirect(req, reply, to, flash);
    } catch (err) {
      const refused = formRefusal(err, reply);
      return this.showForm(req, reply, category, form, { error: refused.message }, refused.status);
    }
  }

  private showForm(
    req: FastifyRequest,
    reply: FastifyReply,
    category: { slug: string; name: string },
    form: ThreadForm,
    extra: { preview?: string; error?: string } = {},
    status = 200,
  ) {
    return this.pages.render(
      req,
      reply,
      'forums/new-thread',
      `Start a thread in ${category.name}`,
      { category, form, preview: extra.preview, error: extra.error },
      { status, noindex: true },
    );
  }
}
