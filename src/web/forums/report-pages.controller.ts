import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { plainTextExcerpt } from '../../common/markdown/markdown';
import type { PostView } from '../../forums/forum-views';
import { PostsService } from '../../forums/posts/posts.service';
import { CreateReportDto, ReportsService } from '../../moderation/reports/reports.service';
import { field, formRefusal, optional, validated } from '../core/forms';
import { Pages } from '../core/pages';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import { authorLabel, isId, pageStartingAt, REPORT_REASON_OPTIONS } from './forum-format';

interface ReportForm {
  reason: string;
  note: string;
}

/** Reporting a post to the moderators: a reason and an optional note, through the moderation reports service. */
@WebController('report')
export class ReportPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly posts: PostsService,
    private readonly reports: ReportsService,
  ) {}

  @Get('post/:id')
  @MembersOnly()
  async form(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @CurrentUser() me: Principal,
  ) {
    const post = await this.reportable(id, me);
    return this.show(req, reply, post, { reason: '', note: '' });
  }

  @Post('post/:id')
  @MembersOnly()
  @HttpCode(200)
  async send(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('id') id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const post = await this.reportable(id, me);
    const form: ReportForm = { reason: field(body, 'reason'), note: field(body, 'note') };
    try {
      const input = await validated(CreateReportDto, {
        targetType: 'post',
        targetId: post.id,
        reason: form.reason === '' ? undefined : form.reason,
        note: optional(body, 'note'),
      });
      await this.reports.report(me, input);
      return this.pages.redirect(
        req,
        reply,
        pageStartingAt(post.threadId, post.id),
        'Thank you for telling us. A moderator will look at it soon; the author is not told who reported it.',
      );
    } catch (err) {
      const refused = formRefusal(err, reply);
      return this.show(req, reply, post, form, reasonMessage(refused.message), refused.status);
    }
  }

  private async reportable(id: string, me: Principal): Promise<PostView> {
    if (!isId(id)) throw notFound('Post');
    return this.posts.getOne(id, me);
  }

  private show(
    req: FastifyRequest,
    reply: FastifyReply,
    post: PostView,
    form: ReportForm,
    error?: string,
    status = 200,
  ) {
    return this.pages.render(
      req,
      reply,
      'forums/report',
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
        error,
      },
      { status, noindex: true },
    );
  }
}

/** The service's field names, in the words of the form. */
function reasonMessage(message: string): string {
  if (message.startsWith('reason')) return 'Please choose what is wrong with this post.';
  if (message.startsWith('targetId is your own')) return 'This is your own post, so it cannot be reported.';
  return message;
}
