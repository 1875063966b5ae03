import { Get, HttpCode, Post, Query } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { PageQueryDto } from '../../common/pagination';
import { NotificationsService } from '../../notifications/notifications.service';
import { validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { readerZone } from '../core/dates';
import { notificationItem } from './notification-view';

/**
 * A member's notifications: newest first, unread ones marked, keyset pages, "Mark all as read". The notifications
 * island adds new ones as they arrive and keeps the header's badge right.
 */
@WebController('notifications')
@MembersOnly()
export class NotificationPagesController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Page('notifications/list', { islands: ['notifications'], noindex: true })
  async list(@CurrentUser() me: Principal, @Query('cursor') cursor?: string) {
    const query = await validated(PageQueryDto, { limit: 20, cursor });
    const page = await this.notifications.list(me.id, query);
    return view('Notifications', {
      items: page.items.map((n) => notificationItem(n, readerZone(me))),
      nextCursor: page.nextCursor,
      first: cursor === undefined,
      unread: page.unread,
    });
  }

  @Post('read')
  @HttpCode(200)
  async markAllRead(@CurrentUser() me: Principal) {
    await this.notifications.markRead(me.id, undefined);
    return redirect('/notifications', 'All your notifications are marked as read.');
  }
}
