import { Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CurrentUser } from '../../common/auth/auth.decorators';
import type { Principal } from '../../common/auth/principal';
import { badInput } from '../../common/errors/domain-error';
import type { EntryInputDto } from '../../journal/dto/journal.dto';
import { JournalService } from '../../journal/journal.service';
import type { JournalEntry, PutResult } from '../../journal/journal.types';
import { CHART_RANGES, type ChartRange, JournalDocuments } from '../../journal/render/journal-documents';
import { isCalendarDate, longDay, period, weekdayDay } from '../../journal/render/journal-dates';
import { appointmentBrief } from '../../journal/render/summary-view';
import { Form, submit, type Submitted } from '../core/form.pipe';
import type { FormRefusal } from '../core/forms';
import { Page } from '../core/page.decorator';
import { RawDocument, redirect, view } from '../core/page-result';
import { MembersOnly, WebController } from '../core/web-controller.decorator';
import {
  ENTRY_FIELD_IDS,
  ENTRY_FORM,
  type EntryForm,
  entryForm,
  GRADE_OPTIONS,
  symptomRows,
  withOwnList,
} from './journal-forms';

const RANGE_LABELS: Record<ChartRange, string> = { '2w': '2 weeks', '3m': '3 months', '1y': 'A year' };

/**
 * The member's own symptom journal in pages (issue 15): today's form first (five grades a symptom, no script
 * needed), a day to change or remove, the charts, "Prepare for my appointment" with its PDF and the CSV of every
 * day. Members only; every page is hers alone and kept out of search engines. Settings and share links are in
 * JournalSettingsPagesController.
 */
@WebController('journal')
@MembersOnly()
export class JournalPagesController {
  constructor(
    private readonly journal: JournalService,
    private readonly documents: JournalDocuments,
  ) {}

  @Get()
  @Page('journal/today', { noindex: true })
  async today(@CurrentUser() me: Principal) {
    const today = await this.journal.today(me.id);
    return this.dayPage(me, today, 'today');
  }

  @Get('days/:date')
  @Page('journal/today', { noindex: true })
  async day(@CurrentUser() me: Principal, @Param('date') date: string) {
    return this.dayPage(me, date, 'day');
  }

  /** "Write or change another day": the date field's answer, as that day's page. */
  @Get('day')
  goToDay(@Query('date') date?: string) {
    if (!date || !isCalendarDate(date)) throw badInput('date', 'must be a day written YYYY-MM-DD');
    return redirect(`/journal/days/${date}`);
  }

  @Post('days/:date')
  @HttpCode(200)
  @Page('journal/today', { noindex: true })
  async save(
    @CurrentUser() me: Principal,
    @Param('date') date: string,
    @Form(ENTRY_FORM) form: Submitted<EntryForm, EntryInputDto>,
  ) {
    return submit(
      form,
      async (input) => {
        const saved = await this.journal.put(me.id, date, input);
        if (saved.callCareTeam) return this.callPage(saved);
        return redirect(`/journal/days/${saved.entry.date}`, `${longDay(saved.entry.date)} is saved in your journal.`);
      },
      async (refused) => this.dayPage(me, date, 'day', form.typed, refused),
    );
  }

  @Post('days/:date/delete')
  async remove(@CurrentUser() me: Principal, @Param('date') date: string) {
    await this.journal.remove(me.id, date);
    return redirect('/journal', `${longDay(date)} is removed from your journal.`);
  }

  @Get('charts')
  @Page('journal/charts', { noindex: true })
  async charts(@CurrentUser() me: Principal, @Query('range') range = '2w') {
    if (!Object.hasOwn(CHART_RANGES, range)) throw badInput('range', 'must be 2w, 3m or 1y');
    const { summary, charts } = await this.documents.charts(me.id, range as ChartRange);
    return view(`Your journal: ${RANGE_LABELS[range as ChartRange].toLowerCase()}`, {
      range,
      ranges: Object.entries(RANGE_LABELS).map(([value, label]) => ({ value, label, current: value === range })),
      period: period(summary.from, summary.to),
      charts,
      days: summary.days,
    });
  }

  @Get('appointment')
  @Page('journal/appointment', { noindex: true })
  async appointment(@CurrentUser() me: Principal, @Query('from') from?: string, @Query('to') to?: string) {
    const { summary, since } = await this.documents.appointment(me.id, {
      from: from || undefined,
      to: to || undefined,
    });
    const query = new URLSearchParams({ from: summary.from, to: summary.to }).toString();
    return view('Prepare for my appointment', {
      from: summary.from,
      to: summary.to,
      period: period(summary.from, summary.to),
      since: since ? { day: longDay(since.date), text: since.text } : null,
      days: summary.days,
      callDays: summary.callDays.length,
      brief: appointmentBrief(summary),
      pdfHref: `/journal/appointment.pdf?${query}`,
    });
  }

  @Get('appointment.pdf')
  async appointmentPdf(@CurrentUser() me: Principal, @Query('from') from?: string, @Query('to') to?: string) {
    const { pdf, fileName } = await this.documents.appointmentPdf(me.id, {
      from: from || undefined,
      to: to || undefined,
    });
    return new RawDocument(pdf, 'application/pdf', {
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'private, no-store',
    });
  }

  @Get('export.csv')
  async csv(@CurrentUser() me: Principal) {
    const { csv, fileName } = await this.documents.csv(me.id);
    return new RawDocument(csv, 'text/csv; charset=utf-8', {
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'private, no-store',
    });
  }

  /** A day's form: today's first thing on /journal, any day at /journal/days/:date; her last days beside it. */
  private async dayPage(me: Principal, date: string, kind: 'today' | 'day', typed?: EntryForm, problem?: FormRefusal) {
    const [settings, entry, recent, today] = await Promise.all([
      this.journal.settings(me.id),
      this.journal.entry(me.id, date),
      this.journal.entries(me.id),
      this.journal.today(me.id),
    ]);
    const form = typed ?? withOwnList(entryForm(entry), settings);
    return view(
      kind === 'today' ? 'Your journal' : `Your journal: ${longDay(date)}`,
      {
        kind,
        date,
        isToday: date === today,
        today,
        day: weekdayDay(date),
        saved: entry !== null,
        rows: symptomRows(settings),
        grades: GRADE_OPTIONS,
        myMedicines: settings.medicines,
        form,
        problem,
        fieldIds: ENTRY_FIELD_IDS,
        recent: recent.map((e: JournalEntry) => ({ date: e.date, day: longDay(e.date), summary: daySummary(e) })),
      },
      { status: problem?.status ?? 200 },
    );
  }

  /** After saving a day that holds a reading her care team asks to hear about at once: calmly, call now. */
  private callPage(saved: PutResult) {
    return view('Please call your care team now', {
      call: {
        date: saved.entry.date,
        day: longDay(saved.entry.date),
        reasons: saved.callReasons,
        numbers: saved.careNumbers.map((n) => ({ ...n, tel: n.number.replace(/[^+\d]/g, '') })),
      },
    });
  }
}

function daySummary(e: JournalEntry): string {
  const graded = e.symptoms.filter((s) => s.grade > 0).sort((a, b) => b.grade - a.grade);
  const words = graded.slice(0, 3).map((s) => `${s.label.toLowerCase()} ${GRADE_OPTIONS[s.grade].label.toLowerCase()}`);
  if (graded.length > 3) words.push(`${graded.length - 3} more`);
  return words.length ? words.join(', ') : 'nothing above none';
}
