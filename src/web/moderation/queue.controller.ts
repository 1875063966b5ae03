import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentUser, Roles } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { REPORT_TARGETS } from '../../moderation/reports/report.constants';
import { ItemIdParams, QueueQueryDto, ResolveDto } from '../../moderation/queue/queue.dto';
import { QueueService } from '../../moderation/queue/queue.service';
import { field, optional, validated } from '../core/forms';
import { Page } from '../core/page.decorator';
import { redirect, view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';
import { ReportedContext } from '../../moderation/queue/reported-context';
import { ReachOutService } from '../../moderation/reach-out/reach-out.service';
import { backTo, chrome, pageHref, refusal, whenFor } from './moderation-web';
import { careConversationHref, queueCard, REPORT_REASON_LABELS } from './queue-presenter';

const TYPE_FILTERS = [
  { value: undefined, label: 'Everything' },
  { value: 'post', label: 'Replies' },
  { value: 'thread', label: 'Threads' },
  { value: 'comment', label: 'Comments' },
  { value: 'chat_message', label: 'Chat' },
  { value: 'conversation_message', label: 'Private messages' },
  { value: 'user', label: 'Members' },
] as const satisfies ReadonlyArray<{ value: (typeof REPORT_TARGETS)[number] | undefined; label: string }>;

const DONE: Record<string, string> = {
  approve: 'Approved: it is published now.',
  reject: 'Rejected: it stays out of sight.',
  hide: 'Hidden from members.',
  restore: 'Restored: members can see it again.',
  delete: 'Deleted.',
  dismiss: 'Kept as it is; the reports are closed.',
};

interface Problem {
  itemId: string;
  message: string;
  note: string;
  /** Which form of the card was refused: its resolution (by default) or "Reach out". */
  kind?: 'reach-out';
}

/**
 * The one queue: held, flagged and reported content of every kind, worst first, each resolved in one click; the
 * conversation around a reported private message on a deliberate, audited request; "Reach out" on crisis items.
 */
@WebController('mod')
@Roles('moderator')
export class QueuePagesController {
  constructor(
    private readonly queue: QueueService,
    private readonly reportedContext: ReportedContext,
    private readonly reach: ReachOutService,
  ) {}

  @Get()
  @Page('moderation/queue', { noindex: true })
  show(@Query() query: Record<string, unknown>, @CurrentUser() me: Principal) {
    return this.render(me, query);
  }

  /**
   * "Show the conversation around it": a deliberate POST (never a link a browser might prefetch), each one written
   * to the audit log by the service that reads the messages.
   */
  @Post('queue/:id/context')
  @HttpCode(200)
  @Page('moderation/context', { noindex: true })
  async context(@Param() params: Record<string, string>, @CurrentUser() me: Principal) {
    const { id } = await validated(ItemIdParams, { id: params.id });
    const [context, item] = await Promise.all([this.reportedContext.open(me, id), this.queue.get(id)]);
    const when = whenFor(me);
    return view('The conversation around a reported message', {
      ...chrome('queue', me),
      itemId: id,
      backHref: `/mod#item-${id}`,
      capturedAt: context.capturedAt,
      reasons: item ? queueCard(item, me).reports.byReason : [],
      messages: context.messages.map((message) => ({ ...message, when: when(message.createdAt) })),
    });
  }

  /** "Reach out": one click opens the care conversation (or the one opened before) and goes there. */
  @Post('queue/:id/reach-out')
  @HttpCode(200)
  @Page('moderation/queue', { noindex: true })
  async reachOut(
    @Param() params: Record<string, string>,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const back = backTo(field(body, 'back'), '/mod');
    try {
      const { id } = await validated(ItemIdParams, { id: params.id });
      const { created, conversation } = await this.reach.reachOut(me, id, undefined);
      return redirect(
        careConversationHref(conversation.id),
        created
          ? 'Your message is sent from the moderation team. She can answer here whenever she is ready.'
          : 'This is the conversation you opened from that item before.',
      );
    } catch (err) {
      const { status, message } = refusal(err);
      const query = Object.fromEntries(new URL(back, 'http://x').searchParams);
      return this.render(me, query, status, { itemId: params.id, message, note: '', kind: 'reach-out' });
    }
  }

  @Post('queue/:id/resolve')
  @HttpCode(200)
  @Page('moderation/queue', { noindex: true })
  async resolve(
    @Param() params: Record<string, string>,
    @Body() body: Record<string, unknown>,
    @CurrentUser() me: Principal,
  ) {
    const back = backTo(field(body, 'back'), '/mod');
    try {
      const { id } = await validated(ItemIdParams, { id: params.id });
      const input = await validated(ResolveDto, { action: field(body, 'action'), note: optional(body, 'note') });
      await this.queue.resolve(me, id, input.action, input.note);
      return redirect(back, DONE[input.action]);
    } catch (err) {
      const { status, message } = refusal(err);
      const query = Object.fromEntries(new URL(back, 'http://x').searchParams);
      return this.render(me, query, status, { itemId: params.id, message, note: field(body, 'note') });
    }
  }

  private async render(me: Principal, raw: Record<string, unknown>, status = 200, problem?: Problem) {
    const query = await validated(QueueQueryDto, {
      status: typeof raw.status === 'string' ? raw.status : undefined,
      type: typeof raw.type === 'string' && raw.type !== '' ? raw.type : undefined,
      cursor: typeof raw.cursor === 'string' ? raw.cursor : undefined,
    });
    const [page, summary] = await Promise.all([this.queue.list(query), this.queue.summary()]);
    // A refused resolution of a waiting item shows its card (with the error and the typed note) first, even when
    // the page the moderator came from no longer holds it (newer crisis items push older ones down the queue).
    const refusedId = problem && /^[1-9]\d{0,17}$/.test(problem.itemId) ? problem.itemId : undefined;
    if (refusedId && !page.items.some((item) => item.id === refusedId)) {
      const refused = await this.queue.get(refusedId);
      if (refused?.status === 'open') page.items.unshift(refused);
    }
    const filters = { status: query.status === 'resolved' ? 'resolved' : undefined, type: query.type };
    const here = pageHref('/mod', { ...filters, cursor: query.cursor });
    return view(
      query.status === 'resolved' ? 'Resolved items' : 'Moderation queue',
      {
        ...chrome('queue', me),
        isAdmin: me.role === 'admin',
        cards: page.items.map((item) => queueCard(item, me)),
        summary: {
          ...summary,
          reportReasons: Object.entries(summary.reportReasons).map(([reason, count]) => ({
            label: REPORT_REASON_LABELS[reason] ?? reason,
            count,
          })),
        },
        resolvedView: query.status === 'resolved',
        statusLinks: [
          { label: 'Waiting', href: pageHref('/mod', { type: query.type }), current: query.status !== 'resolved' },
          {
            label: 'Resolved',
            href: pageHref('/mod', { status: 'resolved', type: query.type }),
            current: query.status === 'resolved',
          },
        ],
        typeLinks: TYPE_FILTERS.map((f) => ({
          label: f.label,
          href: pageHref('/mod', { status: filters.status, type: f.value }),
          current: f.value === query.type,
        })),
        here,
        firstHref: query.cursor ? pageHref('/mod', filters) : null,
        nextHref: page.nextCursor ? pageHref('/mod', { ...filters, cursor: page.nextCursor }) : null,
        problem,
      },
      { status },
    );
  }
}
