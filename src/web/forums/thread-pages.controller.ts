import { Body, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { badInput, notFound } from '../../common/errors/domain-error';
import { renderMarkdown } from '../../common/markdown/markdown';
import { CategoriesService } from '../../forums/categories/categories.service';
import { isModerator } from '../../forums/forum-views';
import { CreatePostDto } from '../../forums/posts/dto/post.dto';
import { REACTION_KINDS, type ReactionKind } from '../../forums/posts/post-reaction.constants';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { PostWritesService } from '../../forums/posts/post-writes.service';
import { PostsService } from '../../forums/posts/posts.service';
import { MoveThreadDto } from '../../forums/threads/dto/thread.dto';
import { ThreadsService } from '../../forums/threads/threads.service';
import { checked, field, formRefusal, optional, validated } from '../core/forms';
import { Pages, safeLocalPath } from '../core/pages';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { authorLabel, isId, pageStartingAt, postItem, quoted, when, withQuery } from './forum-format';
import { afterPosting } from './forum-outcomes';

const POSTS_PER_PAGE = 20;

interface Composer {
  body: string;
  anonymous: boolean;
  contentWarning: string;
  replyToId: string;
  preview?: string;
  error?: string;
}

interface ThreadPageOptions {
  cursor?: string;
  quote?: string;
  support?: boolean;
  composer?: Composer;
  status?: number;
}

const MODERATION_ACTIONS = {
  pin: { flag: 'pinned', value: true, done: 'The thread is pinned to the top of its category.' },
  unpin: { flag: 'pinned', value: false, done: 'The thread is no longer pinned.' },
  lock: { flag: 'locked', value: true, done: 'The thread is locked: members can read it but not reply.' },
  unlock: { flag: 'locked', value: false, done: 'The thread is open for replies again.' },
} as const;

/** A thread with its posts, and what members and moderators do on it: reply, react, watch, pin, lock, move. */
@WebController()
export class ThreadPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly threads: ThreadsService,
    private readonly posts: PostsService,
    private readonly postWrites: PostWritesService,
    private readonly categories: CategoriesService,
  ) {}

  @Get('t/:id')
  show(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Query() query: Record<string, string | undefined>,
    @CurrentUser() viewer?: Principal,
  ) {
    return this.showThread(req, reply, id, viewer, {
      cursor: query.cursor || undefined,
      quote: query.quote,
      support: query.support === '1',
    });
  }

  /** Links with the title in them (`/t/12/scan-day-tips`) show the same page. */
  @Get('t/:id/:slug')
  showWithSlug(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Query() query: Record<string, string | undefined>,
    @CurrentUser() viewer?: Principal,
  ) {
    return this.show(req, reply, id, query, viewer);
  }

  @Cost(COSTS.markdown)
  @Post('t/:id/reply')
  @MembersOnly()
  @HttpCode(200)
  async reply(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    if (!isId(id)) throw notFound('Thread');
    const composer: Composer = {
      body: field(body, 'body'),
      anonymous: checked(body, 'anonymous'),
      contentWarning: field(body, 'contentWarning'),
      replyToId: isId(field(body, 'replyToId')) ? field(body, 'replyToId') : '',
    };
    const cursor = optional(body, 'cursor');
    if (field(body, 'intent') === 'preview') {
      return this.showThread(req, reply, id, me, {
        cursor,
        composer: { ...composer, preview: renderMarkdown(composer.body) },
      });
    }
    try {
      const input = await validated(CreatePostDto, {
        body: composer.body,
        anonymous: composer.anonymous,
        contentWarning: optional(body, 'contentWarning'),
        replyToId: composer.replyToId || undefined,
      });
      const created = await this.postWrites.create(me, id, input);
      const { to, flash } = afterPosting(pageStartingAt(id, created.post.id), created, 'reply');
      return this.pages.redirect(req, reply, to, flash);
    } catch (err) {
      // A thread locked meanwhile is explained on the page, with the typed text kept, like any other refusal.
      const refused = formRefusal(err, reply, ['forbidden']);
      return this.showThread(req, reply, id, me, {
        cursor,
        composer: { ...composer, error: refused.message },
        status: refused.status,
      });
    }
  }

  @Post('p/:postId/react')
  @MembersOnly()
  async react(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('postId') postId: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    if (!isId(postId)) throw notFound('Post');
    const [kind, toggle] = field(body, 'reaction').split(':');
    if (!REACTION_KINDS.includes(kind as ReactionKind) || !['on', 'off'].includes(toggle)) {
      throw badInput('reaction', `must be one of ${REACTION_KINDS.join(', ')}`);
    }
    await this.postWrites.react(me, postId, kind as ReactionKind, toggle === 'on');
    return this.pages.redirect(req, reply, `${backTo(body)}#post-${postId}`);
  }

  @Post('t/:id/watch')
  @MembersOnly()
  async watch(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    if (!isId(id)) throw notFound('Thread');
    const on = field(body, 'watch') !== 'off';
    await this.threads.subscribe(me, id, on);
    return this.pages.redirect(
      req,
      reply,
      backTo(body, `/t/${id}`),
      on
        ? 'You are watching this thread: new replies will appear in your notifications.'
        : 'You stopped watching this thread.',
    );
  }

  @Post('t/:id/moderate')
  @Roles('moderator')
  async moderate(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    if (!isId(id)) throw notFound('Thread');
    const action = MODERATION_ACTIONS[field(body, 'action') as keyof typeof MODERATION_ACTIONS];
    if (!action) throw badInput('action', 'must be pin, unpin, lock or unlock');
    await this.threads.setFlag(me, id, action.flag, action.value);
    return this.pages.redirect(req, reply, `/t/${id}`, action.done);
  }

  @Post('t/:id/move')
  @Roles('moderator')
  async move(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    if (!isId(id)) throw notFound('Thread');
    const input = await validated(MoveThreadDto, { category: field(body, 'category') });
    const moved = await this.threads.move(me, id, input.category);
    return this.pages.redirect(req, reply, `/t/${id}`, `The thread is moved to ${moved.category.name}.`);
  }

  private async showThread(
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    viewer: Principal | undefined,
    options: ThreadPageOptions,
  ): Promise<void> {
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
    return this.pages.render(
      req,
      reply,
      'forums/thread',
      thread.title,
      {
        thread: {
          ...thread,
          authorName: author.name,
          anonymousNote: author.anonymousNote,
          when: when(thread.createdAt),
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
      { status: options.status, noindex: thread.status !== 'published' || viewer !== undefined },
    );
  }
}

/** Where a small form (a reaction, watching) sends the member back to: the page they were on, if it is ours. */
function backTo(body: unknown, fallback = '/'): string {
  return safeLocalPath(field(body, 'back').split('#')[0], fallback);
}
