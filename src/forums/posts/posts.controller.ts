import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ApiErrors, ApiNoContent, ApiOk } from '../../common/openapi/api-responses';
import { IdParams } from '../threads/dto/thread.dto';
import { EditPostDto, ReactionParams } from './dto/post.dto';
import { ForumModeration } from '../forum-moderation';
import { PostWritesService } from './post-writes.service';
import { PostsService } from './posts.service';
import { PostDto, PostRevisionDto, ReactionsDto } from './dto/post-responses.dto';

@ApiTags('forums')
@ApiBearerAuth()
@Controller('posts')
export class PostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly writes: PostWritesService,
    private readonly moderation: ForumModeration,
  ) {}

  @Roles('moderator')
  @Post(':id/hide')
  @HttpCode(204)
  @ApiOperation({ operationId: 'hidePost', summary: 'Hide a published post from members (moderator); audited' })
  @ApiNoContent()
  @ApiErrors([404, 409])
  hide(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.moderation.hideOrRestore(me, params.id, 'hide');
  }

  @Roles('moderator')
  @Post(':id/restore')
  @HttpCode(204)
  @ApiOperation({ operationId: 'restorePost', summary: 'Publish a hidden post again (moderator); audited' })
  @ApiNoContent()
  @ApiErrors([404, 409])
  restore(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.moderation.hideOrRestore(me, params.id, 'restore');
  }

  @Patch(':id')
  @ApiOperation({
    operationId: 'editPost',
    summary:
      'Edit (author within 24 hours, moderators always); the old text becomes a revision. An edit the publishing gate holds waits as `pendingEdit` (author, moderators) and the published text stays until a moderator approves it',
  })
  @ApiOk(PostDto, 'The post as it now reads')
  @ApiErrors([404, 422])
  edit(@CurrentUser() me: Principal, @Param() params: IdParams, @Body() body: EditPostDto) {
    return this.writes.edit(me, params.id, body.body, body.reason);
  }

  @Get(':id/revisions')
  @ApiOperation({ operationId: 'listPostRevisions', summary: 'Earlier versions (author, moderators)' })
  @ApiOk([PostRevisionDto], 'Newest first')
  @ApiErrors([404])
  revisions(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.posts.revisions(me, params.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deletePost',
    summary: 'Soft delete (author, moderators): the text is no longer served',
  })
  @ApiNoContent()
  @ApiErrors([404])
  remove(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.writes.remove(me, params.id);
  }

  @Put(':id/reactions/:kind')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'addReaction',
    summary: 'React (support, hug, same, thanks): one of each kind per member',
  })
  @ApiOk(ReactionsDto, "The post's reactions now")
  @ApiErrors([404])
  react(@CurrentUser() me: Principal, @Param() params: ReactionParams) {
    return this.writes.react(me, params.id, params.kind, true);
  }

  @Delete(':id/reactions/:kind')
  @HttpCode(200)
  @ApiOperation({ operationId: 'removeReaction', summary: 'Take back a reaction' })
  @ApiOk(ReactionsDto, "The post's reactions now")
  @ApiErrors([404])
  unreact(@CurrentUser() me: Principal, @Param() params: ReactionParams) {
    return this.writes.react(me, params.id, params.kind, false);
  }
}
