import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser, Public, Roles } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import {
  ApiCreated,
  ApiCreatedOrPending,
  ApiErrors,
  ApiNoContent,
  ApiOk,
  ApiPaged,
} from '../common/openapi/api-responses';
import { PageQueryDto } from '../common/pagination';
import { IdParams } from '../common/validation/params';
import { CommentEditsService } from './comments/comment-edits.service';
import { CommentsService } from './comments/comments.service';
import { CreateCommentDto, EditCommentDto, PageKeyParams, PageKeysQuery, PutPageDto, RatingDto } from './dto';
import { PagesService } from './pages/pages.service';
import { RatingsService } from './ratings/ratings.service';
import { CommentDto, CommentRevisionDto, CreatedCommentDto } from './comments/dto/comment-responses.dto';
import { ArticlePageDto, PageCountsDto, RatingSummaryDto } from './pages/dto/page-responses.dto';

@ApiTags('comments')
@ApiBearerAuth()
@Controller()
export class CommentsController {
  constructor(
    private readonly pages: PagesService,
    private readonly comments: CommentsService,
    private readonly edits: CommentEditsService,
    private readonly ratings: RatingsService,
  ) {}

  @Public()
  @Get('pages')
  @ApiOperation({ operationId: 'getPageCounts', summary: 'Comment counts and ratings for many pages: ?keys=a,b,c' })
  @ApiOk([PageCountsDto], 'The pages that exist, by key')
  counts(@Query() query: PageKeysQuery) {
    return this.pages.counts(query.keys.split(','));
  }

  @Public()
  @Get('pages/:key')
  @ApiOperation({ operationId: 'getPage', summary: 'A page with its comment count and rating' })
  @ApiOk(ArticlePageDto)
  @ApiErrors([404])
  page(@Param() params: PageKeyParams, @CurrentUser() viewer?: Principal) {
    return this.pages.get(params.key, viewer);
  }

  @Roles('admin')
  @Put('pages/:key')
  @ApiOperation({ operationId: 'putPage', summary: 'Create or update a page (admin): 201 created, 200 updated' })
  @ApiCreated(ArticlePageDto)
  @ApiOk(ArticlePageDto, 'Updated')
  async putPage(
    @CurrentUser() admin: Principal,
    @Param() params: PageKeyParams,
    @Body() body: PutPageDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { created, page } = await this.pages.put(admin, params.key, body);
    void reply.status(created ? 201 : 200);
    return page;
  }

  @Public()
  @Get('pages/:key/comments')
  @ApiOperation({
    operationId: 'listComments',
    summary: 'Published comments, oldest first, each with its replies; paged',
  })
  @ApiPaged(CommentDto, 'One page of top-level comments, oldest first, each with its replies')
  @ApiErrors([404])
  list(@Param() params: PageKeyParams, @Query() query: PageQueryDto, @CurrentUser() viewer?: Principal) {
    return this.comments.list(params.key, query, viewer);
  }

  @Public()
  @Post('pages/:key/comments')
  @ApiOperation({
    operationId: 'createComment',
    summary: 'Comment: guests give a name, accept the terms and pass a captcha; 201, or 202 pending',
  })
  @ApiCreatedOrPending(CreatedCommentDto)
  @ApiErrors([403, 404, 422], { 403: 'Suspended, banned or silenced' })
  async create(
    @Param() params: PageKeyParams,
    @Body() body: CreateCommentDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentUser() viewer?: Principal,
  ) {
    const created = await this.comments.create(viewer, params.key, body, req.ip);
    void reply.status(created.status === 'pending' ? 202 : 201);
    return { ...created.comment, ...(created.notice ? { notice: created.notice } : {}) };
  }

  @Put('pages/:key/rating')
  @HttpCode(200)
  @ApiOperation({ operationId: 'ratePage', summary: 'Rate 1-5 stars; one rating per member, changeable' })
  @ApiOk(RatingSummaryDto, "The page's rating now")
  @ApiErrors([404])
  rate(@CurrentUser() me: Principal, @Param() params: PageKeyParams, @Body() body: RatingDto) {
    return this.ratings.rate(me, params.key, body.stars);
  }

  @Patch('comments/:id')
  @ApiOperation({ operationId: 'editComment', summary: 'Edit (member author within 15 minutes, moderators)' })
  @ApiOk(CommentDto, 'The comment as it now reads')
  @ApiErrors([404, 422])
  edit(@CurrentUser() me: Principal, @Param() params: IdParams, @Body() body: EditCommentDto) {
    return this.edits.edit(me, params.id, body.body, body.reason);
  }

  @Delete('comments/:id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteComment',
    summary: 'Delete (member author, moderators): a placeholder keeps replies in place',
  })
  @ApiNoContent()
  @ApiErrors([404])
  remove(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.edits.remove(me, params.id);
  }

  @Get('comments/:id/revisions')
  @ApiOperation({ operationId: 'listCommentRevisions', summary: 'Earlier versions (member author, moderators)' })
  @ApiOk([CommentRevisionDto], 'Newest first')
  @ApiErrors([403, 404])
  async revisions(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return (await this.edits.revisions(me, params.id)).revisions.map(({ bodyHtml: _html, ...r }) => r);
  }
}
