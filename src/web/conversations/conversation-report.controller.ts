import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { PickType } from '@nestjs/swagger';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { plainTextExcerpt } from '../../common/markdown/markdown';
import { ConversationsService } from '../../conversations/conversations.service';
import type { ReportTarget } from '../../moderation/reports/report.constants';
import { CreateReportDto, ReportsService } from '../../moderation/reports/reports.service';
import { Form, submit, type Submitted } from '../core/form.pipe';
import { field, type FormRefusal, joined, problemsOf } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { isId, REPORT_REASON_OPTIONS } from '../forums/forum-format';

interface ReportForm {
  reason: string;
  note: string;
}

/** The form's part of the API's report (its rules and messages); the message it is about is in the address. */
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

/**
 * The report's target type. The reports table and the content registry take it (conv-core); the API's list of
 * report targets gains it with the moderation side of issue 14, until then it is named here.
 */
const TARGET = 'conversation_message' as ReportTarget;

interface Reportable {
  id: string;
  conversationId: string;
  author: string;
  excerpt: string;
  href: string;
}

/**
 * Reporting a message of a conversation she is in: the same report as the API's (`conversation_message`), into the
 * one moderation queue, where moderators see it with the few messages around it and nothing else of the conversation.
 */
@WebController('messages')
@MembersOnly()
export class ConversationReportController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly reports: ReportsService,
  ) {}

  @Get(':id/report/:messageId')
  @Page('conversations/report', { noindex: true })
  async form(@Param('id') id: string, @Param('messageId') messageId: string, @CurrentUser() me: Principal) {
    return reportView(await this.reportable(me, id, messageId), { reason: '', note: '' });
  }

  @Post(':id/report/:messageId')
  @HttpCode(200)
  @Page('conversations/report', { noindex: true })
  async send(
    @Param('id') id: string,
    @Param('messageId') messageId: string,
    @Form(REPORT_FORM) form: Submitted<ReportForm, ReportFormDto>,
    @CurrentUser() me: Principal,
  ) {
    const message = await this.reportable(me, id, messageId);
    return submit(
      form,
      async (input) => {
        await this.reports.report(me, { targetType: TARGET, targetId: message.id, ...input });
        return redirect(
          message.href,
          'Thank you for telling us. A moderator will look at it soon; the author is not told who reported it.',
        );
      },
      (refused) => reportView(message, form.typed, refused),
    );
  }

  /** The message, read as she reads it (a participant only: anyone else gets the 404 of a conversation not theirs). */
  private async reportable(me: Principal, id: string, messageId: string): Promise<Reportable> {
    if (!isId(id) || !isId(messageId)) throw notFound('Message');
    // The one message at or before its id, through the conversation's own keyset history (and its access check).
    const page = await this.conversations.history(me, id, { before: (BigInt(messageId) + 1n).toString(), limit: 1 });
    const message = page.items[0];
    if (!message || message.id !== messageId) throw notFound('Message');
    return {
      id: message.id,
      conversationId: id,
      author: message.author?.displayName ?? (message.fromTeam ? 'The moderation team' : 'Former member'),
      excerpt: plainTextExcerpt(message.body ?? '', 300),
      href: `/messages/${id}#m-${message.id}`,
    };
  }
}

function reportView(message: Reportable, form: ReportForm, refused?: FormRefusal) {
  return view(
    'Report a message',
    {
      message,
      conversationId: message.conversationId,
      reasons: REPORT_REASON_OPTIONS,
      form,
      problem: refused && inReportWords(refused),
    },
    { status: refused?.status ?? 200, retryAfterSeconds: refused?.retryAfterSeconds },
  );
}

/** A refusal in the words of the report form. */
function inReportWords(refused: FormRefusal): FormRefusal {
  const problems = problemsOf(refused).map((p) => {
    const raw = p.raw ?? p.message;
    if (raw.startsWith('reason')) return { ...p, message: 'Please choose what is wrong with this message.' };
    if (raw.startsWith('targetId is your own'))
      return { ...p, field: undefined, message: 'This is your own message, so it cannot be reported.' };
    return p;
  });
  return { ...refused, problems, message: joined(problems), field: problems[0]?.field };
}
