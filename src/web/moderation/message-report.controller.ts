import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { PickType } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { plainTextExcerpt } from '../../common/markdown/markdown';
import { NUMERIC_ID_PATTERN } from '../../common/validation/decorators';
import { CreateReportDto, type ReportableMessage, ReportsService } from '../../moderation/reports/reports.service';
import { REPORT_REASON_LABELS } from './queue-presenter';
import { UsersService } from '../../users/users.service';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field, type FormRefusal, joined, problemsOf } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { careConversationHref } from './queue-presenter';

interface ReportForm {
  reason: string;
  note: string;
  block: boolean;
}

/** The form's part of the API's report; the message is in the address, the block a box of the page's own. */
class MessageReportDto extends PickType(CreateReportDto, ['reason', 'note'] as const) {}

const LABELS = { reason: 'What is wrong', note: 'Your note' };

const REPORT_FORM = {
  dto: MessageReportDto,
  labels: LABELS,
  typed: (body: unknown): ReportForm => ({
    reason: field(body, 'reason'),
    note: field(body, 'note'),
    block: field(body, 'block') === 'yes',
  }),
  values: (form: ReportForm) => ({
    reason: form.reason === '' ? undefined : form.reason,
    note: form.note.trim() || undefined,
  }),
};

const REASONS = Object.entries(REPORT_REASON_LABELS).map(([value, label]) => ({ value, label }));

/**
 * Reporting a private message: a reason, a note, and (one box) blocking its sender in the same step. Only a
 * participant who can see the message reaches the form (404 otherwise, as the API answers). The moderators see
 * the message with the few around it, copied now; the sender is not told who reported it.
 */
@WebController('report')
export class MessageReportPagesController {
  constructor(
    private readonly reports: ReportsService,
    private readonly users: UsersService,
  ) {}

  @Get('message/:id')
  @MembersOnly()
  @Page('moderation/report-message', { noindex: true })
  async form(@Param('id') id: string, @CurrentUser() me: Principal) {
    return reportView(await this.reportable(id, me), { reason: '', note: '', block: false });
  }

  @Post('message/:id')
  @MembersOnly()
  @HttpCode(200)
  @Page('moderation/report-message', { noindex: true })
  async send(
    @Param('id') id: string,
    @Form(REPORT_FORM) form: Submitted<ReportForm, MessageReportDto>,
    @CurrentUser() me: Principal,
  ) {
    const message = await this.reportable(id, me);
    return submit(
      form,
      async (input) => {
        await this.reports.report(me, { targetType: 'conversation_message', targetId: message.id, ...input });
        const blocked = form.typed.block && message.author ? message.author : null;
        if (blocked) await this.users.block(me.id, blocked.username);
        const thanks =
          'Thank you for telling us. A moderator will look at it soon; the sender is not told who reported it.';
        return redirect(
          message.conversationId ? `${careConversationHref(message.conversationId)}#m-${message.id}` : '/messages',
          blocked
            ? `${thanks} You have blocked ${blocked.displayName}: neither of you can write to the other.`
            : thanks,
        );
      },
      (refused) => reportView(message, form.typed, refused),
    );
  }

  private async reportable(id: string, me: Principal): Promise<ReportableMessage> {
    if (!NUMERIC_ID_PATTERN.test(id)) throw notFound('Message');
    const message = await this.reports.reportableMessage(me, id);
    if (message.mine) throw notFound('Message');
    return message;
  }
}

function reportView(message: ReportableMessage, form: ReportForm, refused?: FormRefusal) {
  return view(
    'Report a message',
    {
      message: {
        id: message.id,
        author: message.author?.displayName ?? 'a former member',
        excerpt: plainTextExcerpt(message.body, 300),
        href: message.conversationId ? careConversationHref(message.conversationId) : '/messages',
        canBlock: message.author !== null,
      },
      reasons: REASONS,
      form,
      problem: refused && inReportWords(refused),
    },
    { status: refused?.status ?? 200, retryAfterSeconds: refused?.retryAfterSeconds },
  );
}

/** A refusal in the words of the report form, not the API's field names and codes. */
function inReportWords(refused: FormRefusal): FormRefusal {
  const problems = problemsOf(refused).map((p) => {
    const raw = p.raw ?? p.message;
    if (raw.startsWith('reason')) return { ...p, message: 'Please choose what is wrong with this message.' };
    return p;
  });
  return { ...refused, problems, message: joined(problems), field: problems[0]?.field };
}
