import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { CommentEditsService } from '../../comments/comments/comment-edits.service';
import { CommentActionDto, EditCommentDto, PageKeyParams } from '../../comments/dto';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { NUMERIC_ID_PATTERN } from '../../common/validation/decorators';
import { refusal } from '../account/refusal';
import { field, optional, validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { CommentEditPage, type CommentEditForm } from './comment-edit-page';

const LABELS: Record<string, string> = { body: 'Your comment', reason: 'The reason' };

/**
 * A comment's own pages under its article: its member author edits it (within the window, with a preview) or
 * deletes it (a placeholder keeps replies in place); a moderator edits any comment with a reason, deletes, hides
 * or restores it; "edited" opens the earlier versions for the author and moderators. Guests are sent to sign in;
 * anyone else is refused by the comments' own rules.
 */
@WebController('articles')
export class CommentEditPagesController {
  constructor(
    private readonly page: CommentEditPage,
    private readonly edits: CommentEditsService,
  ) {}

  @Get(':key/comments/:id/edit')
  @MembersOnly()
  @Page('articles/comment-edit', { noindex: true })
  async editForm(@Param() params: Record<string, string>, @CurrentUser() me: Principal) {
    const { key, id } = await target(params);
    return this.page.edit(me, key, id);
  }

  @Post(':key/comments/:id/edit')
  @MembersOnly()
  @HttpCode(200)
  @Page('articles/comment-edit', { noindex: true })
  async edit(
    @Param() params: Record<string, string>,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const { key, id } = await target(params);
    const typed: CommentEditForm = { body: field(body, 'body'), reason: field(body, 'reason') };
    if (field(body, 'intent') === 'preview') return this.page.edit(me, key, id, typed, true);
    try {
      const input = await validated(EditCommentDto, { body: typed.body, reason: optional(body, 'reason') });
      const edited = await this.edits.edit(me, id, input.body, input.reason, { key, reasonRequired: true });
      const flash =
        edited.status === 'pending'
          ? 'The comment is changed. It will appear here once a moderator has read it.'
          : edited.pendingEdit
            ? 'Thank you. Your change will show once a moderator has read it.'
            : 'The comment is changed.';
      return redirect(`/articles/${key}#comment-${id}`, flash);
    } catch (err) {
      return this.page.edit(me, key, id, typed, false, refusal(err, LABELS));
    }
  }

  @Get(':key/comments/:id/delete')
  @MembersOnly()
  @Page('articles/comment-delete', { noindex: true })
  async deleteForm(@Param() params: Record<string, string>, @CurrentUser() me: Principal) {
    const { key, id } = await target(params);
    return this.page.remove(me, key, id);
  }

  @Post(':key/comments/:id/delete')
  @MembersOnly()
  @HttpCode(200)
  @Page('articles/comment-delete', { noindex: true })
  async remove(
    @Param() params: Record<string, string>,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const { key, id } = await target(params);
    try {
      const input = await validated(CommentActionDto, { reason: optional(body, 'reason') });
      await this.edits.remove(me, id, input.reason, key);
      return redirect(`/articles/${key}#comment-${id}`, 'The comment is deleted. Replies to it stay in place.');
    } catch (err) {
      return this.page.remove(me, key, id, field(body, 'reason'), refusal(err, LABELS));
    }
  }

  @Post(':key/comments/:id/hide')
  @Roles('moderator')
  async hide(@Param() params: Record<string, string>, @CurrentUser() me: Principal) {
    const { key, id } = await target(params);
    await this.edits.hide(me, id, undefined, key);
    return redirect(`/articles/${key}#comment-${id}`, 'The comment is hidden. Members see a placeholder.');
  }

  @Post(':key/comments/:id/restore')
  @Roles('moderator')
  async restore(@Param() params: Record<string, string>, @CurrentUser() me: Principal) {
    const { key, id } = await target(params);
    await this.edits.restore(me, id, undefined, key);
    return redirect(`/articles/${key}#comment-${id}`, 'The comment is shown again.');
  }

  @Get(':key/comments/:id/revisions')
  @MembersOnly()
  @Page('articles/comment-revisions', { noindex: true })
  async revisions(@Param() params: Record<string, string>, @CurrentUser() me: Principal) {
    const { key, id } = await target(params);
    return this.page.revisions(me, key, id);
  }
}

/** A key that cannot be a page's, or an id that cannot be a comment's, is simply not found. */
async function target(params: Record<string, string>): Promise<{ key: string; id: string }> {
  if (!NUMERIC_ID_PATTERN.test(params.id ?? '')) throw notFound('Comment');
  try {
    return { key: (await validated(PageKeyParams, { key: params.key })).key, id: params.id };
  } catch {
    throw notFound('Page');
  }
}
