import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import { ApiNoContent, ApiOk } from '../common/openapi/api-responses';
import { PageQueryDto } from '../common/pagination';
import { MarkReadDto, NotificationsService } from './notifications.service';
import { NotificationPageDto } from './dto/notification-responses.dto';

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({
    operationId: 'listNotifications',
    summary: 'Your notifications, newest first, with the unread count',
  })
  @ApiOk(NotificationPageDto)
  list(@CurrentUser() me: Principal, @Query() query: PageQueryDto) {
    return this.notifications.list(me.id, query);
  }

  @Post('read')
  @HttpCode(204)
  @ApiOperation({ operationId: 'markNotificationsRead', summary: 'Mark these read (no ids: all)' })
  @ApiNoContent()
  markRead(@CurrentUser() me: Principal, @Body() body: MarkReadDto) {
    return this.notifications.markRead(me.id, body.ids);
  }
}
