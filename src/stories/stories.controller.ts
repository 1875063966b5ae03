import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiErrors, ApiOk, ApiPaged } from '../common/openapi/api-responses';
import { MemberCardDto, MembersQueryDto, StoryDto, StoryInputDto } from './dto/story.dto';
import { StoriesService } from './stories.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller()
export class StoriesController {
  constructor(private readonly stories: StoriesService) {}

  @Get('me/story')
  @ApiOperation({ operationId: 'getMyStory', summary: 'Your story, and whom you let see it' })
  @ApiOk(StoryDto)
  mine(@CurrentUser() me: Principal) {
    return this.stories.mine(me);
  }

  @Put('me/story')
  @ApiOperation({
    operationId: 'putMyStory',
    summary: 'Write your story (all optional and private unless you show it or let others find you)',
  })
  @ApiOk(StoryDto)
  @ApiErrors([400])
  save(@CurrentUser() me: Principal, @Body() body: StoryInputDto) {
    return this.stories.save(me, body);
  }

  @Get('members')
  @ApiOperation({
    operationId: 'findMembers',
    summary: 'Members who let others with the same subtype find them (members only)',
  })
  @ApiPaged(MemberCardDto)
  @ApiErrors([400])
  members(@CurrentUser() me: Principal, @Query() query: MembersQueryDto) {
    return this.stories.members(me, query);
  }
}
