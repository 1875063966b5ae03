import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { UpdateMeDto, UsernameParams } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'Your own profile, with your email' })
  me(@CurrentUser() me: Principal) {
    return this.users.getMe(me.id);
  }

  @Patch('me')
  @ApiOperation({ summary: 'Change your display name or bio' })
  updateMe(@CurrentUser() me: Principal, @Body() body: UpdateMeDto) {
    return this.users.updateMe(me.id, body);
  }

  @Get('me/blocks')
  @ApiOperation({ summary: 'Members you have blocked' })
  blocks(@CurrentUser() me: Principal) {
    return this.users.listBlocked(me.id);
  }

  @Public()
  @Get('users/:username')
  @ApiOperation({ summary: 'A public profile (never the email)' })
  profile(@Param() params: UsernameParams) {
    return this.users.getPublicProfile(params.username);
  }

  @Post('users/:username/block')
  @HttpCode(204)
  @ApiOperation({ summary: "Stop seeing this member's posts, comments and chat messages" })
  block(@CurrentUser() me: Principal, @Param() params: UsernameParams) {
    return this.users.block(me.id, params.username);
  }

  @Delete('users/:username/block')
  @HttpCode(204)
  @ApiOperation({ summary: 'See this member again' })
  unblock(@CurrentUser() me: Principal, @Param() params: UsernameParams) {
    return this.users.unblock(me.id, params.username);
  }
}
