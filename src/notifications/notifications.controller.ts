import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { PageQueryDto } from '../common/pagination';
import { MarkReadDto, NotificationsService } from './notifications.service';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ summary: 'Your notifications, newest first, with the unread count' })
  list(@CurrentUser() me: Principal, @Query() query: PageQueryDto) {
    return this.notifications.list(me.id, query);
  }

  @Post('read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark these read (no ids: all)' })
  markRead(@CurrentUser() me: Principal, @Body() body: MarkReadDto) {
    return this.notifications.markRead(me.id, body.ids);
  }
}
