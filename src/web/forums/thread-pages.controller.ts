import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { badInput, notFound } from '../../common/errors/domain-error';
import { CreatePostDto } from '../../forums/posts/dto/post.dto';
import { REACTION_KINDS, type ReactionKind } from '../../forums/posts/post-reaction.constants';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { PostWritesService } from '../../forums/posts/post-writes.service';
import { PostsService } from '../../forums/posts/posts.service';
import { MoveThreadDto } from '../../forums/threads/dto/thread.dto';
import { ThreadsService } from '../../forums/threads/threads.service';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { checked, field, optional, validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect } from '../core/page-result';
import { links } from '../core/links';
import { safeLocalPath } from '../core/pages';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { isId, pageStartingAt } from './forum-format';
import { afterPosting } from './forum-outcomes';
import { type Composer, ThreadPage } from './thread-page';

const MODERATION_ACTIONS = {
  pin: { flag: 'pinned', value: true, done: 'The thread is pinned to the top of its category.' },
  unpin: { flag: 'pinned', value: false, done: 'The thread is no longer pinned.' },
  lock: { flag: 'locked', value: true, done: 'The thread is locked: members can read it but not reply.' },
  unlock: { flag: 'locked', value: false, done: 'The thread is open for replies again.' },
} as const;

const REPLY_FORM = {
  dto: CreatePostDto,
  labels: { body: 'Your reply', contentWarning: 'Content warning' },
  typed: (body: unknown): Composer => ({
    body: field(body, 'body'),
    anonymous: checked(body, 'anonymous'),
    contentWarning: field(body, 'contentWarning'),
    replyToId: isId(field(body, 'replyToId')) ? field(body, 'replyToId') : '',
  }),
  values: (composer: Composer) => ({
    body: composer.body,
    anonymous: composer.anonymous,
    contentWarning: composer.contentWarning.trim() || undefined,
    replyToId: composer.replyToId || undefined,
  }),
};

/** A thread with its posts, and what members and moderators do on it: reply, react, watch, pin, lock, move. */
@WebController()
export class ThreadPagesController {
  constructor(
    private readonly page: ThreadPage,
    private readonly threads: ThreadsService,
    private readonly postWrites: PostWritesService,
    private readonly posts: PostsService,
  ) {}

  @Get('t/:id')
  @Page('forums/thread')
  show(@Param('id') id: string, @Query() query: Record<string, string | undefined>, @CurrentUser() viewer?: Principal) {
    return this.page.view(id, viewer, {
      page: query.page,
      cursor: query.cursor || undefined,
      quote: query.quote,
      support: query.support === '1',
    });
  }

  /** A post's own address (quotes link here): the thread page that holds it, at the post. */
  @Get('p/:postId')
  async post(@Param('postId') postId: string, @CurrentUser() viewer?: Principal) {
    if (!isId(postId)) throw notFound('Post');
    const { threadId } = await this.posts.threadOf(postId, viewer);
    return redirect(links.post(threadId, postId));
  }

  /** "First unread": the page holding the first post after her read mark, at that post; else the last page. */
  @Get('t/:id/unread')
  @MembersOnly()
  async firstUnread(@Param('id') id: string, @CurrentUser() me: Principal) {
    if (!isId(id)) throw notFound('Thread');
    const { postId } = await this.threads.firstUnread(me, id);
    return redirect(postId ? links.post(id, postId) : `/t/${id}?page=last`);
  }

  /** Links with the title in them (`/t/12/scan-day-tips`) show the same page. */
  @Get('t/:id/:slug')
  @Page('forums/thread')
  showWithSlug(
    @Param('id') id: string,
    @Query() query: Record<string, string | undefined>,
    @CurrentUser() viewer?: Principal,
  ) {
    return this.show(id, query, viewer);
  }

  @Cost(COSTS.markdown)
  @Post('t/:id/reply')
  @MembersOnly()
  @HttpCode(200)
  @Page('forums/thread')
  async reply(
    @Param('id') id: string,
    @Form(REPLY_FORM) form: Submitted<Composer, CreatePostDto>,
    @CurrentUser() me: Principal,
  ) {
    if (!isId(id)) throw notFound('Thread');
    const page = optional(form.body, 'page');
    if (form.intent === 'preview') {
      return this.page.view(id, me, {
        page,
        composer: { ...form.typed, preview: await this.postWrites.preview(form.typed.body) },
      });
    }
    return submit(
      form,
      async (input) => {
        const created = await this.postWrites.create(me, id, input);
        const { to, flash } = afterPosting(pageStartingAt(id, created.post.id), created, 'reply');
        return redirect(to, flash);
      },
      // A thread locked meanwhile is explained on the page, with the typed text kept, like any other refusal.
      (refused) =>
        this.page.view(id, me, {
          page,
          composer: { ...form.typed, error: refused.message, problem: refused },
          status: refused.status,
          retryAfterSeconds: refused.retryAfterSeconds,
        }),
      ['forbidden'],
    );
  }

  @Post('p/:postId/react')
  @MembersOnly()
  async react(@Param('postId') postId: string, @Body() body: Record<string, unknown>, @CurrentUser() me: Principal) {
    if (!isId(postId)) throw notFound('Post');
    const [kind, toggle] = field(body, 'reaction').split(':');
    if (!REACTION_KINDS.includes(kind as ReactionKind) || !['on', 'off'].includes(toggle)) {
      throw badInput('reaction', `must be one of ${REACTION_KINDS.join(', ')}`);
    }
    await this.postWrites.react(me, postId, kind as ReactionKind, toggle === 'on');
    return redirect(`${backTo(body)}#post-${postId}`);
  }

  @Post('t/:id/watch')
  @MembersOnly()
  async watch(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentUser() me: Principal) {
    if (!isId(id)) throw notFound('Thread');
    const on = field(body, 'watch') !== 'off';
    await this.threads.subscribe(me, id, on);
    return redirect(
      backTo(body, `/t/${id}`),
      on
        ? 'You are watching this thread: new replies will appear in your notifications.'
        : 'You stopped watching this thread.',
    );
  }

  @Post('t/:id/moderate')
  @Roles('moderator')
  async moderate(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentUser() me: Principal) {
    if (!isId(id)) throw notFound('Thread');
    const action = MODERATION_ACTIONS[field(body, 'action') as keyof typeof MODERATION_ACTIONS];
    if (!action) throw badInput('action', 'must be pin, unpin, lock or unlock');
    await this.threads.setFlag(me, id, action.flag, action.value);
    return redirect(`/t/${id}`, action.done);
  }

  @Post('t/:id/move')
  @Roles('moderator')
  async move(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentUser() me: Principal) {
    if (!isId(id)) throw notFound('Thread');
    const input = await validated(MoveThreadDto, { category: field(body, 'category') });
    const moved = await this.threads.move(me, id, input.category);
    return redirect(`/t/${id}`, `The thread is moved to ${moved.category.name}.`);
  }
}

/** Where a small form (a reaction, watching) sends the member back to: the page they were on, if it is ours. */
function backTo(body: unknown, fallback = '/'): string {
  return safeLocalPath(field(body, 'back').split('#')[0], fallback);
}
