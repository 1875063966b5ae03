import { Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { PageQueryDto } from '../../common/pagination';
import { NotificationsService } from '../../notifications/notifications.service';
import { validated } from '../core/forms';
import { Pages } from '../core/pages';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { notificationItem } from './notification-view';

/**
 * A member's notifications: newest first, unread ones marked, keyset pages, "Mark all as read". The notifications
 * island adds new ones as they arrive and keeps the header's badge right.
 */
@WebController('notifications')
@MembersOnly()
export class NotificationPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly notifications: NotificationsService,
  ) {}

  @Get()
  async list(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentUser() me: Principal,
    @Query('cursor') cursor?: string,
  ) {
    const query = await validated(PageQueryDto, { limit: 20, cursor });
    const page = await this.notifications.list(me.id, query);
    return this.pages.render(
      req,
      reply,
      'notifications/list',
      'Notifications',
      {
        items: page.items.map(notificationItem),
        nextCursor: page.nextCursor,
        first: cursor === undefined,
        unread: page.unread,
      },
      { islands: ['notifications'], noindex: true },
    );
  }

  @Post('read')
  @HttpCode(200)
  async markAllRead(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @CurrentUser() me: Principal) {
    await this.notifications.markRead(me.id, undefined);
    return this.pages.redirect(req, reply, '/notifications', 'All your notifications are marked as read.');
  }
}
