import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { Form, type Submitted } from '../core/form.pipe';
import { Page } from '../core/page.decorator';
import { WebController } from '../core/web-controller.decorator';
import { SPLIT_FORM, type SplitForm, type SplitThreadFormDto, ThreadModerationPage } from './thread-moderation-page';

/**
 * A moderator acts where he reads: hides or restores a post from the thread page (editing and deleting anyone's
 * post go through the post's own pages, with a reason), and splits replies into a new thread. Audited.
 */
@WebController()
@Roles('moderator')
export class ThreadModerationPagesController {
  constructor(private readonly page: ThreadModerationPage) {}

  @Post('p/:id/hide')
  hide(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentUser() me: Principal) {
    return this.page.hideOrRestore(me, id, 'hide', body);
  }

  @Post('p/:id/restore')
  restore(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentUser() me: Principal) {
    return this.page.hideOrRestore(me, id, 'restore', body);
  }

  @Get('t/:id/split')
  @Page('forums/thread-split', { noindex: true })
  splitForm(@Param('id') id: string, @Query('cursor') cursor: string | undefined, @CurrentUser() me: Principal) {
    return this.page.splitForm(id, me, cursor || undefined);
  }

  @Post('t/:id/split')
  @HttpCode(200)
  @Page('forums/thread-split', { noindex: true })
  split(
    @Param('id') id: string,
    @Form(SPLIT_FORM) form: Submitted<SplitForm, SplitThreadFormDto>,
    @CurrentUser() me: Principal,
  ) {
    return this.page.split(id, me, form);
  }
}
