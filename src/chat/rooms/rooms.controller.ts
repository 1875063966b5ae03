import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Public, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { ApiCreated, ApiErrors, ApiOk } from '../../common/openapi/api-responses';
import { MessagesService } from '../messages/messages.service';
import { CreateRoomDto, HistoryQueryDto, RoomSlugParams, UpdateRoomDto } from './dto/room.dto';
import { RoomsService } from './rooms.service';
import { ChatMessagePageDto } from '../messages/dto/message-responses.dto';
import { RoomDto } from './dto/room-responses.dto';

@ApiTags('chat')
@Controller('chat/rooms')
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    operationId: 'listRooms',
    summary: 'The live support rooms: open rooms, then sessions by start (the live chat is /chat)',
  })
  @ApiOk([RoomDto])
  list() {
    return this.rooms.list();
  }

  @ApiBearerAuth()
  @Roles('moderator')
  @Post()
  @ApiOperation({
    operationId: 'createRoom',
    summary: 'Create a room (moderator): open, or a session with startsAt and endsAt',
  })
  @ApiCreated(RoomDto)
  @ApiErrors([409], { 409: 'That slug is taken' })
  create(@CurrentUser() me: Principal, @Body() body: CreateRoomDto) {
    return this.rooms.create(me, body);
  }

  @ApiBearerAuth()
  @Roles('moderator')
  @Patch(':slug')
  @ApiOperation({
    operationId: 'updateRoom',
    summary: "Change a room (moderator): name, description, a session's times, slow mode",
  })
  @ApiOk(RoomDto)
  @ApiErrors([404])
  update(@CurrentUser() me: Principal, @Param() params: RoomSlugParams, @Body() body: UpdateRoomDto) {
    return this.rooms.update(me, params.slug, body);
  }

  @ApiBearerAuth()
  @Get(':slug/messages')
  @ApiOperation({
    operationId: 'listRoomMessages',
    summary: 'History, oldest first: the latest, ?before=<id> (older) or ?after=<id> (newer, to catch up); paged',
  })
  @ApiOk(ChatMessagePageDto)
  @ApiErrors([404])
  history(@CurrentUser() me: Principal, @Param() params: RoomSlugParams, @Query() query: HistoryQueryDto) {
    return this.messages.history(me, params.slug, query);
  }
}
