import { Injectable } from '@nestjs/common';
import { journalCsv } from '../journal-csv';
import { JournalService, type Period } from '../journal.service';
import type { JournalSummary } from '../journal.types';
import { renderSymptomCharts, type SymptomChart } from './charts';
import { addDays } from './journal-dates';
import { renderSummaryPdf } from './summary-pdf';
import { chartDataOf } from './summary-view';

/** The charts page's three ranges, in days up to today. */
export const CHART_RANGES = { '2w': 14, '3m': 91, '1y': 365 } as const;
export type ChartRange = keyof typeof CHART_RANGES;

/** The period "Prepare for my appointment" covers, and why. */
export interface AppointmentPeriod {
  from: string;
  to: string;
  /** Her last appointment before `to`, when the period starts there. */
  since: { date: string; text: string } | null;
}

/**
 * What the journal draws for its member: the charts of a range and "Prepare for my appointment" (the page's period
 * and its PDF), from her summary (JournalService). Everything is made on request, in memory, for her alone.
 */
@Injectable()
export class JournalDocuments {
  constructor(private readonly journal: JournalService) {}

  /** Each symptom she recorded over the last 2 weeks, 3 months or year, drawn; with the summary they come from. */
  async charts(userId: string, range: ChartRange): Promise<{ summary: JournalSummary; charts: SymptomChart[] }> {
    const to = await this.journal.today(userId);
    const summary = await this.journal.summary(userId, { from: addDays(to, -(CHART_RANGES[range] - 1)), to });
    return { summary, charts: await renderSymptomCharts(chartDataOf(summary)) };
  }

  /**
   * The period to prepare for: as asked, or by default from her last appointment before the end (today unless
   * asked) to the end; with no appointment written, the journal's default period (two weeks).
   */
  async appointmentPeriod(userId: string, asked: Period): Promise<AppointmentPeriod> {
    if (asked.from) return { ...(await this.journal.period(userId, asked)), since: null };
    const { to } = await this.journal.period(userId, { to: asked.to });
    const since = await this.journal.lastAppointmentBefore(userId, to);
    if (!since) return { ...(await this.journal.period(userId, { to })), since: null };
    return { from: since.date, to, since };
  }

  /** "Prepare for my appointment" for the period (see appointmentPeriod): its summary. */
  async appointment(userId: string, asked: Period): Promise<AppointmentPeriod & { summary: JournalSummary }> {
    const period = await this.appointmentPeriod(userId, asked);
    return { ...period, summary: await this.journal.summary(userId, { from: period.from, to: period.to }) };
  }

  /** The same as an A4 PDF, with the file name to offer. */
  async appointmentPdf(userId: string, asked: Period): Promise<{ pdf: Buffer; fileName: string }> {
    const { summary } = await this.appointment(userId, asked);
    const madeOn = await this.journal.today(userId);
    const pdf = await renderSummaryPdf({ summary, madeOn });
    return { pdf, fileName: `haven-appointment-${summary.from}-to-${summary.to}.pdf` };
  }

  /** Every day she wrote, as CSV (the same file as /api/journal/export.csv), with the file name to offer. */
  async csv(userId: string): Promise<{ csv: string; fileName: string }> {
    const entries = [];
    for await (const batch of this.journal.allDays(userId)) entries.push(...batch);
    return { csv: journalCsv(entries), fileName: `haven-journal-${await this.journal.today(userId)}.csv` };
  }
}
