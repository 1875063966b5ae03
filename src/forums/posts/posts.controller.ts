import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { IdParams } from '../threads/dto/thread.dto';
import { EditPostDto, ReactionParams } from './dto/post.dto';
import { PostWritesService } from './post-writes.service';
import { PostsService } from './posts.service';

@ApiTags('forums')
@ApiBearerAuth()
@Controller('posts')
export class PostsController {
  constructor(
    private readonly posts: PostsService,
    private readonly writes: PostWritesService,
  ) {}

  @Patch(':id')
  @ApiOperation({
    summary:
      'Edit (author within 24 hours, moderators always); the old text becomes a revision. An edit the publishing gate holds waits as `pendingEdit` (author, moderators) and the published text stays until a moderator approves it',
  })
  edit(@CurrentUser() me: Principal, @Param() params: IdParams, @Body() body: EditPostDto) {
    return this.writes.edit(me, params.id, body.body);
  }

  @Get(':id/revisions')
  @ApiOperation({ summary: 'Earlier versions (author, moderators)' })
  revisions(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.posts.revisions(me, params.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Soft delete (author, moderators): the text is no longer served' })
  remove(@CurrentUser() me: Principal, @Param() params: IdParams) {
    return this.writes.remove(me, params.id);
  }

  @Put(':id/reactions/:kind')
  @HttpCode(200)
  @ApiOperation({ summary: 'React (support, hug, same, thanks): one of each kind per member' })
  react(@CurrentUser() me: Principal, @Param() params: ReactionParams) {
    return this.writes.react(me, params.id, params.kind, true);
  }

  @Delete(':id/reactions/:kind')
  @HttpCode(200)
  unreact(@CurrentUser() me: Principal, @Param() params: ReactionParams) {
    return this.writes.react(me, params.id, params.kind, false);
  }
}
