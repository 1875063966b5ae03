import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { MessagesService } from '../messages/messages.service';
import { CreateRoomDto, HistoryQueryDto, RoomSlugParams, UpdateRoomDto } from './dto/room.dto';
import { RoomsService } from './rooms.service';

@ApiTags('chat')
@Controller('chat/rooms')
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'The live support rooms: open rooms, then sessions by start (the live chat is /chat)' })
  list() {
    return this.rooms.list();
  }

  @ApiBearerAuth()
  @Roles('moderator')
  @Post()
  @ApiOperation({ summary: 'Create a room (moderator): open, or a session with startsAt and endsAt' })
  create(@CurrentUser() me: Principal, @Body() body: CreateRoomDto) {
    return this.rooms.create(me, body);
  }

  @ApiBearerAuth()
  @Roles('moderator')
  @Patch(':slug')
  @ApiOperation({ summary: "Change a room (moderator): name, description, a session's times, slow mode" })
  update(@CurrentUser() me: Principal, @Param() params: RoomSlugParams, @Body() body: UpdateRoomDto) {
    return this.rooms.update(me, params.slug, body);
  }

  @ApiBearerAuth()
  @Get(':slug/messages')
  @ApiOperation({
    summary: 'History, oldest first: the latest, ?before=<id> (older) or ?after=<id> (newer, to catch up); paged',
  })
  history(@CurrentUser() me: Principal, @Param() params: RoomSlugParams, @Query() query: HistoryQueryDto) {
    return this.messages.history(me, params.slug, query);
  }
}
