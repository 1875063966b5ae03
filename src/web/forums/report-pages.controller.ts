import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { PickType } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { plainTextExcerpt } from '../../common/markdown/markdown';
import type { PostView } from '../../forums/forum-views';
import { PostsService } from '../../forums/posts/posts.service';
import { CreateReportDto, ReportsService } from '../../moderation/reports/reports.service';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field, type FormRefusal, joined, problemsOf } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { authorLabel, isId, pageStartingAt, REPORT_REASON_OPTIONS } from './forum-format';

interface ReportForm {
  reason: string;
  note: string;
}

/** The form's part of the API's report (its own rules and messages); the post it is about is in the address. */
class ReportFormDto extends PickType(CreateReportDto, ['reason', 'note'] as const) {}

const REPORT_FORM = {
  dto: ReportFormDto,
  labels: { note: 'Your note' },
  typed: (body: unknown): ReportForm => ({ reason: field(body, 'reason'), note: field(body, 'note') }),
  values: (form: ReportForm) => ({
    reason: form.reason === '' ? undefined : form.reason,
    note: form.note.trim() || undefined,
  }),
};

/** Reporting a post to the moderators: a reason and an optional note, through the moderation reports service. */
@WebController('report')
export class ReportPagesController {
  constructor(
    private readonly posts: PostsService,
    private readonly reports: ReportsService,
  ) {}

  @Get('post/:id')
  @MembersOnly()
  @Page('forums/report', { noindex: true })
  async form(@Param('id') id: string, @CurrentUser() me: Principal) {
    return reportView(await this.reportable(id, me), { reason: '', note: '' });
  }

  @Post('post/:id')
  @MembersOnly()
  @HttpCode(200)
  @Page('forums/report', { noindex: true })
  async send(
    @Param('id') id: string,
    @Form(REPORT_FORM) form: Submitted<ReportForm, ReportFormDto>,
    @CurrentUser() me: Principal,
  ) {
    const post = await this.reportable(id, me);
    return submit(
      form,
      async (input) => {
        await this.reports.report(me, { targetType: 'post', targetId: post.id, ...input });
        return redirect(
          pageStartingAt(post.threadId, post.id),
          'Thank you for telling us. A moderator will look at it soon; the author is not told who reported it.',
        );
      },
      (refused) => reportView(post, form.typed, refused),
    );
  }

  private async reportable(id: string, me: Principal): Promise<PostView> {
    if (!isId(id)) throw notFound('Post');
    return this.posts.getOne(id, me);
  }
}

function reportView(post: PostView, form: ReportForm, refused?: FormRefusal) {
  return view(
    'Report a post',
    {
      post: {
        id: post.id,
        author: authorLabel(post.author).name,
        excerpt: post.body === null ? '' : plainTextExcerpt(post.body, 300),
        href: pageStartingAt(post.threadId, post.id),
        mine: post.mine === true,
      },
      reasons: REPORT_REASON_OPTIONS,
      form,
      problem: refused && inReportWords(refused),
    },
    { status: refused?.status ?? 200, retryAfterSeconds: refused?.retryAfterSeconds },
  );
}

/** A refusal in the words of the report form: each problem, and the whole, with the form's own sentences. */
function inReportWords(refused: FormRefusal): FormRefusal {
  const problems = problemsOf(refused).map((p) => ({ ...p, message: reasonMessage(p.raw ?? p.message) }));
  const own = problems.find((p) => p.field === 'targetId');
  // "Your own post" is about the post, not a field of the form.
  if (own) own.field = undefined;
  return { ...refused, problems, message: joined(problems), field: problems[0]?.field };
}

/** The service's field names, in the words of the form. */
function reasonMessage(message: string): string {
  if (message.startsWith('reason')) return 'Please choose what is wrong with this post.';
  if (message.startsWith('targetId is your own')) return 'This is your own post, so it cannot be reported.';
  return message;
}
