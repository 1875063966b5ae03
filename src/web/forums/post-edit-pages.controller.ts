import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import { Intent } from '../../common/auth/intent';
import type { Principal } from '../../common/auth/principal';
import { COSTS, Cost } from '../../common/rate-limit/cost.decorator';
import { Form, type Submitted } from '../core/form.pipe';
import { Page } from '../core/page.decorator';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { EDIT_FORM, type EditForm, type EditPostFormDto, PostEditPage } from './post-edit-page';

/**
 * A member's own posts, and a moderator's view of anyone's: edit (with a preview; an opening post also changes the
 * thread's title), delete after a confirmation, and the earlier versions behind "edited". The forms ask to write,
 * so a silenced member is refused them as she is refused posting.
 */
@WebController('p')
export class PostEditPagesController {
  constructor(private readonly page: PostEditPage) {}

  @Get(':id/edit')
  @MembersOnly()
  @Intent('write')
  @Page('forums/post-edit', { noindex: true })
  editForm(@Param('id') id: string, @CurrentUser() me: Principal) {
    return this.page.editForm(id, me);
  }

  @Cost(COSTS.markdown)
  @Post(':id/edit')
  @MembersOnly()
  @HttpCode(200)
  @Page('forums/post-edit', { noindex: true })
  save(
    @Param('id') id: string,
    @Form(EDIT_FORM) form: Submitted<EditForm, EditPostFormDto>,
    @CurrentUser() me: Principal,
  ) {
    return this.page.save(id, me, form);
  }

  @Get(':id/delete')
  @MembersOnly()
  @Intent('write')
  @Page('forums/post-delete', { noindex: true })
  deleteForm(@Param('id') id: string, @CurrentUser() me: Principal) {
    return this.page.deleteForm(id, me);
  }

  @Post(':id/delete')
  @MembersOnly()
  remove(@Param('id') id: string, @CurrentUser() me: Principal) {
    return this.page.remove(id, me);
  }

  @Get(':id/revisions')
  @MembersOnly()
  @Page('forums/post-revisions', { noindex: true })
  revisions(@Param('id') id: string, @CurrentUser() me: Principal) {
    return this.page.revisions(id, me);
  }
}
