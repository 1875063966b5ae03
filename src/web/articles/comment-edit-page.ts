import { Injectable } from '@nestjs/common';
import { CommentEditsService } from '../../comments/comments/comment-edits.service';
import type { Principal } from '../../common/auth/principal';
import { renderMarkdown } from '../../common/markdown/markdown';
import type { Refusal } from '../account/refusal';
import { readerZone } from '../core/dates';
import { view } from '../core/page-result';

/** The edit form as typed: the text, and a moderator's reason for changing someone else's words. */
export interface CommentEditForm {
  body: string;
  reason: string;
}

/**
 * The view models of a comment's own pages under its article (templates articles/comment-edit, comment-delete,
 * comment-revisions): the edit form with its preview, the delete confirmation, and the earlier versions.
 */
@Injectable()
export class CommentEditPage {
  constructor(private readonly edits: CommentEditsService) {}

  /** The edit form: what was typed (the comment's text at first), a preview when asked, and any refusal. */
  async edit(me: Principal, key: string, id: string, typed?: CommentEditForm, preview = false, problem?: Refusal) {
    const { comment, title, own, editableUntil } = await this.edits.forChange(me, key, id, 'edit');
    const form = typed ?? { body: comment.pendingEdit?.body ?? comment.body ?? '', reason: '' };
    return view(
      own ? 'Edit your comment' : 'Edit a comment',
      {
        key,
        articleTitle: title,
        comment,
        own,
        form,
        preview: preview ? renderMarkdown(form.body) : undefined,
        problem,
        editableUntil: editableUntil && readerZone(me).fullTime(editableUntil),
        back: `/articles/${key}#comment-${id}`,
      },
      { status: problem?.status ?? 200, noindex: true },
    );
  }

  /** "Delete this comment?": the comment as it reads, and (for a moderator) an optional reason. */
  async remove(me: Principal, key: string, id: string, reason = '', problem?: Refusal) {
    const { comment, title, own } = await this.edits.forChange(me, key, id, 'delete');
    return view(
      own ? 'Delete your comment' : 'Delete a comment',
      { key, articleTitle: title, comment, own, reason, problem, back: `/articles/${key}#comment-${id}` },
      { status: problem?.status ?? 200, noindex: true },
    );
  }

  /** Earlier versions, newest first (author and moderators). */
  async revisions(me: Principal, key: string, id: string) {
    const { comment, revisions } = await this.edits.revisions(me, id, key);
    return view(
      'Earlier versions of a comment',
      {
        key,
        comment,
        revisions,
        when: (at: string) => readerZone(me).fullTime(at),
        back: `/articles/${key}#comment-${id}`,
      },
      { noindex: true },
    );
  }
}
