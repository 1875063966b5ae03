import { Get, Headers, Param } from '@nestjs/common';
import { JournalService } from '../../journal/journal.service';
import { renderSymptomCharts } from '../../journal/render/charts';
import { longDay, period } from '../../journal/render/journal-dates';
import { appointmentBrief, chartDataOf } from '../../journal/render/summary-view';
import { Page } from '../core/page.decorator';
import { view } from '../core/page-result';
import { WebController } from '../core/web-controller.decorator';

/**
 * What a share link shows (anyone with the link, signed in or not): the period she chose, read-only, with the
 * charts and her days; never indexed, and with no link into her account. An unknown link is 404, an expired or
 * stopped one 410 (the error page says which, kindly). Each view is logged for her by the service.
 */
@WebController('journal/shared')
export class JournalSharedPageController {
  constructor(private readonly journal: JournalService) {}

  @Get(':token')
  @Page('journal/shared', { noindex: true })
  async shared(@Param('token') token: string, @Headers('user-agent') userAgent?: string) {
    const shared = await this.journal.shared(token, { userAgent });
    const charts = await renderSymptomCharts(chartDataOf(shared.summary));
    return view(`${shared.ownerDisplayName}'s journal`, {
      owner: shared.ownerDisplayName,
      period: period(shared.from, shared.to),
      expiresOn: longDay(shared.expiresAt.slice(0, 10)),
      charts,
      brief: appointmentBrief(shared.summary),
      entries: shared.entries.map((e) => ({
        day: longDay(e.date),
        symptoms: e.symptoms.map((s) => ({ label: s.label, grade: s.grade, note: s.note })),
        temperatureC: e.temperatureC,
        medicines: e.medicines,
        appointment: e.appointment,
        note: e.note,
        questions: e.questions,
      })),
    });
  }
}
