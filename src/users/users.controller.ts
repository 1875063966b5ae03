import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiErrors, ApiNoContent, ApiOk } from '../common/openapi/api-responses';
import { UpdateMeDto, UsernameParams } from './dto/user.dto';
import { UsersService } from './users.service';
import { BlockedMemberDto, MeDto, PublicProfileDto } from './dto/user-responses.dto';

@ApiTags('users')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ operationId: 'getMe', summary: 'Your own profile, with your email' })
  @ApiOk(MeDto)
  me(@CurrentUser() me: Principal) {
    return this.users.getMe(me.id);
  }

  @Patch('me')
  @ApiOperation({ operationId: 'updateMe', summary: 'Change your display name or bio' })
  @ApiOk(MeDto)
  updateMe(@CurrentUser() me: Principal, @Body() body: UpdateMeDto) {
    return this.users.updateMe(me.id, body);
  }

  @Get('me/blocks')
  @ApiOperation({ operationId: 'listBlocks', summary: 'Members you have blocked' })
  @ApiOk([BlockedMemberDto])
  blocks(@CurrentUser() me: Principal) {
    return this.users.listBlocked(me.id);
  }

  @Public()
  @Get('users/:username')
  @ApiOperation({ operationId: 'getUserProfile', summary: 'A public profile (never the email)' })
  @ApiOk(PublicProfileDto)
  @ApiErrors([404])
  profile(@Param() params: UsernameParams) {
    return this.users.getPublicProfile(params.username);
  }

  @Post('users/:username/block')
  @HttpCode(204)
  @ApiOperation({ operationId: 'blockUser', summary: "Stop seeing this member's posts, comments and chat messages" })
  @ApiNoContent()
  @ApiErrors([404])
  block(@CurrentUser() me: Principal, @Param() params: UsernameParams) {
    return this.users.block(me.id, params.username);
  }

  @Delete('users/:username/block')
  @HttpCode(204)
  @ApiOperation({ operationId: 'unblockUser', summary: 'See this member again' })
  @ApiNoContent()
  @ApiErrors([404])
  unblock(@CurrentUser() me: Principal, @Param() params: UsernameParams) {
    return this.users.unblock(me.id, params.username);
  }
}
