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
import { backTo, chrome, pageHref, refusal } from './moderation-web';
import { queueCard, REPORT_REASON_LABELS } from './queue-presenter';

const TYPE_FILTERS = [
  { value: undefined, label: 'Everything' },
  { value: 'post', label: 'Replies' },
  { value: 'thread', label: 'Threads' },
  { value: 'comment', label: 'Comments' },
  { value: 'chat_message', label: 'Chat' },
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
}

/** The one queue: held, flagged and reported content of every kind, worst first, each resolved in one click. */
@WebController('mod')
@Roles('moderator')
export class QueuePagesController {
  constructor(private readonly queue: QueueService) {}

  @Get()
  @Page('moderation/queue', { noindex: true })
  show(@Query() query: Record<string, unknown>, @CurrentUser() me: Principal) {
    return this.render(me, query);
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
