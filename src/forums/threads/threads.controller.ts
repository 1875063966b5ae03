import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentUser, Public, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import {
  ApiCreated,
  ApiCreatedOrPending,
  ApiErrors,
  ApiNoContent,
  ApiOk,
  ApiPaged,
} from '../../common/openapi/api-responses';
import { PageQueryDto } from '../../common/pagination';
import { CategorySlugParams } from '../categories/dto/category.dto';
import { CreatePostDto } from '../posts/dto/post.dto';
import { PostWritesService } from '../posts/post-writes.service';
import { PostsService } from '../posts/posts.service';
import { CreateThreadDto, EditThreadDto, IdParams, MoveThreadDto, SplitThreadDto } from './dto/thread.dto';
import { ThreadEditsService } from './thread-edits.service';
import { ThreadsService } from './threads.service';
import { CreatedPostDto, PostDto } from '../posts/dto/post-responses.dto';
import { CreatedThreadDto, ThreadDto } from './dto/thread-responses.dto';

@ApiTags('forums')
@ApiBearerAuth()
@Controller()
export class ThreadsController {
  constructor(
    private readonly threads: ThreadsService,
    private readonly postsService: PostsService,
    private readonly postWrites: PostWritesService,
    private readonly edits: ThreadEditsService,
  ) {}

  @Public()
  @Get('categories/:slug/threads')
  @ApiOperation({
    operationId: 'listThreads',
    summary: "A category's threads: pinned first, then by last activity; paged",
  })
  @ApiPaged(ThreadDto, 'One page: pinned first, then by last activity')
  @ApiErrors([404])
  list(@Param() params: CategorySlugParams, @Query() query: PageQueryDto, @CurrentUser() viewer?: Principal) {
    return this.threads.list(params.slug, query, viewer);
  }

  @Post('categories/:slug/threads')
  @ApiOperation({
    operationId: 'createThread',
    summary: 'Start a thread: 201 published, or 202 while it waits for a moderator',
  })
  @ApiCreatedOrPending(CreatedThreadDto)
  @ApiErrors([404, 422])
  async create(
    @CurrentUser() me: Principal,
    @Param() params: CategorySlugParams,
    @Body() body: CreateThreadDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.threads.create(me, params.slug, body);
    void reply.status(created.status === 'pending' ? 202 : 201);
    return created;
  }

  @Public()
  @Get('threads/:id')
  @ApiOperation({ operationId: 'getThread', summary: 'A thread' })
  @ApiOk(ThreadDto)
  @ApiErrors([404])
  get(@Param() params: IdParams, @CurrentUser() viewer?: Principal) {
    return this.threads.get(params.id, viewer);
  }

  @Patch('threads/:id')
  @ApiOperation({
    operationId: 'editThread',
    summary:
      'Change the title (author within 24 hours, moderators always; a moderator gives a reason). A new title the publishing gate would hold on a published thread is refused (409): the old one stays',
  })
  @ApiOk(ThreadDto, 'The thread as it now reads')
  @ApiErrors([400, 403, 404, 409])
  async edit(@CurrentUser() me: Principal, @Param() params: IdParams, @Body() body: EditThreadDto) {
    await this.edits.editTitle(me, params.id, body.title, body.reason);
    return this.threads.get(params.id, me);
  }

  @Roles('moderator')
  @Post('threads/:id/split')
  @ApiOperation({
    operationId: 'splitThread',
    summary: 'Move replies into a new thread (moderator): the oldest chosen reply opens it, by its author',
  })
  @ApiCreated(ThreadDto, 'The new thread')
  @ApiErrors([400, 404, 409])
  async split(@CurrentUser() me: Principal, @Param() params: IdParams, @Body() body: SplitThreadDto) {
    const id = await this.edits.split(me, params.id, {
      postIds: body.posts,
      title: body.title,
      category: body.category,
    });
    return this.threads.get(id, me);
  }

  @Public()
  @Get('threads/:id/posts')
  @ApiOperation({ operationId: 'listPosts', summary: "A thread's posts, oldest first; paged" })
  @ApiPaged(PostDto, 'One page of posts, oldest first')
  @ApiErrors([404])
  posts(@Param() params: IdParams, @Query() query: PageQueryDto, @CurrentUser() viewer?: Principal) {
    return this.postsService.list(params.id, query, viewer);
  }

  @Post('threads/:id/posts')
  @ApiOperation({
    operationId: 'createPost',
    summary: 'Reply: 201 published, or 202 while it waits for a moderator; 403 when locked',
  })
  @ApiCreatedOrPending(CreatedPostDto)
  @ApiErrors([403, 404, 422], { 403: 'Locked thread, or you may not post (silenced, suspended, banned)' })
  async reply(
    @CurrentUser() me: Principal,
    @Param() params: IdParams,
    @Body() body: CreatePostDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.postWrites.create(me, params.id, body);
    void reply.status(created.status === 'pending' ? 202 : 201);
    return { ...created.post, ...(created.notice ? { notice: created.notice } : {}) };
  }

  @Roles('moderator')
  @Post('threads/:id/pin')
  @HttpCode(200)
  @ApiOperation({ operationId: 'pinThread', summary: 'Pin a thread to the top of its category (moderator)' })
  @ApiOk(ThreadDto)
  @ApiErrors([404])
  pin(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.threads.setFlag(me, params.id, 'pinned', true);
  }

  @Roles('moderator')
  @Post('threads/:id/unpin')
  @HttpCode(200)
  @ApiOperation({ operationId: 'unpinThread', summary: 'Unpin a thread (moderator)' })
  @ApiOk(ThreadDto)
  @ApiErrors([404])
  unpin(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.threads.setFlag(me, params.id, 'pinned', false);
  }

  @Roles('moderator')
  @Post('threads/:id/lock')
  @HttpCode(200)
  @ApiOperation({ operationId: 'lockThread', summary: 'Lock a thread: no more replies (moderator)' })
  @ApiOk(ThreadDto)
  @ApiErrors([404])
  lock(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.threads.setFlag(me, params.id, 'locked', true);
  }

  @Roles('moderator')
  @Post('threads/:id/unlock')
  @HttpCode(200)
  @ApiOperation({ operationId: 'unlockThread', summary: 'Unlock a thread (moderator)' })
  @ApiOk(ThreadDto)
  @ApiErrors([404])
  unlock(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.threads.setFlag(me, params.id, 'locked', false);
  }

  @Roles('moderator')
  @Post('threads/:id/move')
  @HttpCode(200)
  @ApiOperation({ operationId: 'moveThread', summary: 'Move a thread to another category (moderator)' })
  @ApiOk(ThreadDto)
  @ApiErrors([404])
  move(@CurrentUser() me: Principal, @Param() params: IdParams, @Body() body: MoveThreadDto) {
    return this.threads.move(me, params.id, body.category);
  }

  @Put('threads/:id/subscription')
  @HttpCode(204)
  @ApiOperation({ operationId: 'watchThread', summary: 'Watch a thread: its replies become notifications' })
  @ApiNoContent()
  @ApiErrors([404])
  watch(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.threads.subscribe(me, params.id, true);
  }

  @Delete('threads/:id/subscription')
  @HttpCode(204)
  @ApiOperation({ operationId: 'unwatchThread', summary: 'Stop watching a thread' })
  @ApiNoContent()
  @ApiErrors([404])
  unwatch(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.threads.subscribe(me, params.id, false);
  }
}
