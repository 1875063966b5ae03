import { Injectable } from '@nestjs/common';
import { IntersectionType } from '@nestjs/swagger';
import type { Principal } from '../../common/auth/principal';
import { badInput, forbidden, notFound } from '../../common/errors/domain-error';
import { plainTextExcerpt, renderMarkdown } from '../../common/markdown/markdown';
import { Text } from '../../common/validation/decorators';
import { isModerator, type PostView } from '../../forums/forum-views';
import { EditPostDto } from '../../forums/posts/dto/post.dto';
import { editRefusal } from '../../forums/posts/edit-rules';
import { PostWritesService } from '../../forums/posts/post-writes.service';
import { type PostThread, PostsService } from '../../forums/posts/posts.service';
import { ThreadEditsService } from '../../forums/threads/thread-edits.service';
import { submit, type Submitted } from '../core/form.pipe';
import { field, type FormRefusal } from '../core/forms';
import { type PageResult, redirect, type View, view } from '../core/page-result';
import { authorLabel, isId, pageStartingAt, when } from './forum-format';

/** The edit form as typed: the text, the thread's title (opening posts), a moderator's reason. */
export interface EditForm {
  body: string;
  /** Undefined when the form has no title (a reply). */
  title?: string;
  reason: string;
}

class TitleDto {
  @Text({ optional: true, min: 5, max: 150 })
  title?: string;
}

/** The API's edit (text and reason) with the thread title's rule of the API's new thread. */
export class EditPostFormDto extends IntersectionType(EditPostDto, TitleDto) {}

export const EDIT_FORM = {
  dto: EditPostFormDto,
  typed: (body: unknown): EditForm => ({
    body: field(body, 'body'),
    title: body && typeof body === 'object' && 'title' in body ? field(body, 'title') : undefined,
    reason: field(body, 'reason'),
  }),
  values: (form: EditForm) => ({
    body: form.body,
    title: form.title,
    reason: form.reason.trim() || undefined,
  }),
};

/**
 * The pages where a member (or a moderator) edits, deletes and reads the earlier versions of a post: each loads the
 * post by the content policy and asks the forum's one edit rule before showing a form that would be refused.
 */
@Injectable()
export class PostEditPage {
  constructor(
    private readonly posts: PostsService,
    private readonly writes: PostWritesService,
    private readonly threadEdits: ThreadEditsService,
  ) {}

  async editForm(id: string, me: Principal): Promise<View> {
    const { post, thread } = await this.editable(id, me);
    return editView(post, thread, me, {
      body: post.body ?? '',
      title: thread.opensThread ? thread.title : undefined,
      reason: '',
    });
  }

  /** Preview shows the form again with the rendered text; saving changes the title (opening post), then the text. */
  async save(id: string, me: Principal, form: Submitted<EditForm, EditPostFormDto>): Promise<PageResult> {
    const { post, thread } = await this.editable(id, me);
    const typed = { ...form.typed, title: thread.opensThread ? form.typed.title : undefined };
    if (form.intent === 'preview') return editView(post, thread, me, typed, undefined, renderMarkdown(typed.body));
    return submit(
      form,
      async (input) => {
        if (post.mine !== true && !input.reason) {
          throw badInput('reason', "is needed when you change someone else's post: it is kept with the revision");
        }
        if (thread.opensThread && input.title !== undefined) {
          await this.threadEdits.editTitle(me, thread.id, input.title, input.reason);
        }
        const saved = await this.writes.edit(me, id, input.body, input.reason);
        return redirect(pageStartingAt(thread.id, id), savedMessage(saved));
      },
      (refused) => editView(post, thread, me, typed, refused),
      ['forbidden'],
    );
  }

  async deleteForm(id: string, me: Principal): Promise<View> {
    const { post, thread } = await this.deletable(id, me);
    return view(thread.opensThread ? 'Delete this thread?' : 'Delete this post?', {
      post: summary(post, thread),
      opensThread: thread.opensThread,
      mine: post.mine === true,
    });
  }

  async remove(id: string, me: Principal): Promise<PageResult> {
    const { thread } = await this.deletable(id, me);
    await this.writes.remove(me, id);
    return thread.opensThread
      ? redirect(`/c/${thread.categorySlug}`, 'The thread is deleted.')
      : redirect(pageStartingAt(thread.id, id), 'The post is deleted: its place in the thread says so.');
  }

  async revisions(id: string, me: Principal): Promise<View> {
    if (!isId(id)) throw notFound('Post');
    const revisions = await this.posts.revisions(me, id);
    const { post, thread } = await this.posts.withThread(id, me);
    return view('Earlier versions', {
      post: summary(post, thread),
      current: { html: post.bodyHtml, editedAt: post.editedAt, when: post.editedAt ? when(post.editedAt, me) : '' },
      revisions: revisions.map((r) => ({
        ...r,
        html: renderMarkdown(r.body),
        written: when(r.writtenAt, me),
        replaced: when(r.editedAt, me),
      })),
    });
  }

  /** The post, if `me` may edit it now: the author in the edit window (not sanctioned: the guard saw to that). */
  private async editable(id: string, me: Principal): Promise<{ post: PostView; thread: PostThread }> {
    const found = await this.load(id, me);
    const refusal = editRefusal(
      { authorId: found.post.mine ? me.id : '', createdAt: found.post.createdAt },
      me,
      Date.now(),
      'post',
    );
    if (refusal) throw refusal;
    return found;
  }

  private async deletable(id: string, me: Principal): Promise<{ post: PostView; thread: PostThread }> {
    const found = await this.load(id, me);
    if (found.post.mine !== true && !isModerator(me)) {
      throw forbidden('Only the author or a moderator may delete this post');
    }
    return found;
  }

  private async load(id: string, me: Principal): Promise<{ post: PostView; thread: PostThread }> {
    if (!isId(id)) throw notFound('Post');
    const found = await this.posts.withThread(id, me);
    if (found.post.status === 'deleted' || found.post.status === 'rejected') throw notFound('Post');
    return found;
  }
}

function summary(post: PostView, thread: PostThread) {
  return {
    id: post.id,
    author: authorLabel(post.author).name,
    excerpt: post.body === null ? '' : plainTextExcerpt(post.body, 300),
    href: pageStartingAt(thread.id, post.id),
    threadTitle: thread.title,
    threadHref: `/t/${thread.id}`,
    status: post.status,
  };
}

function editView(
  post: PostView,
  thread: PostThread,
  me: Principal,
  form: EditForm,
  refused?: FormRefusal,
  preview?: string,
): View {
  const mine = post.mine === true;
  return view(
    mine ? 'Edit your post' : 'Edit a post',
    {
      post: summary(post, thread),
      mine,
      pending: post.status === 'pending',
      opensThread: thread.opensThread,
      needsReason: !mine && isModerator(me),
      form,
      preview,
      error: refused?.message,
    },
    { status: refused?.status ?? 200, retryAfterSeconds: refused?.retryAfterSeconds },
  );
}

function savedMessage(saved: PostView): string {
  if (saved.pendingEdit) {
    return 'Thank you. Your edit waits for a moderator; until then everyone else reads the earlier text.';
  }
  if (saved.status === 'pending') return 'Your changes are saved. The post still waits for a moderator.';
  return 'Your changes are saved.';
}
