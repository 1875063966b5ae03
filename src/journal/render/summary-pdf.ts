import PDFDocument from 'pdfkit';
import { period } from './journal-dates';
import type { JournalSummary } from './summary-input';
import { appointmentBrief } from './summary-view';

export interface SummaryPdfInput {
  summary: JournalSummary;
  /** Her name as she shows it, on the first line (she may leave it out). */
  name?: string;
  /** The day it was made, YYYY-MM-DD. */
  madeOn: string;
}

const MARGIN = 50;
const INK = '#1f2933';
const QUIET = '#52606d';
const ALERT = '#9a3412';

/**
 * "Prepare for my appointment" as a PDF (pdfkit): A4, real text in the standard Helvetica (selectable and searchable),
 * the same sentences as the page (summary-view.ts): what changed, the worst days, the questions she wrote down,
 * medicines and treatments, temperatures, then each symptom's highest and latest grade. Made in memory, never stored.
 * Helvetica carries the Latin-1 letters: anything beyond is written as "?" rather than as a wrong glyph.
 */
export function renderSummaryPdf(input: SummaryPdfInput): Promise<Buffer> {
  const { summary } = input;
  const brief = appointmentBrief(summary);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: 'Prepare for my appointment', Creator: 'Haven symptom journal', Producer: 'Haven' },
    lang: 'en-GB',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.fillColor(INK).font('Helvetica-Bold').fontSize(20).text('Prepare for my appointment');
  doc
    .font('Helvetica')
    .fontSize(11)
    .fillColor(QUIET)
    .text(
      `${input.name ? `${latin1(input.name)}: ` : ''}${period(summary.from, summary.to)}, ` +
        `${summary.days} ${summary.days === 1 ? 'day' : 'days'} written in the journal.`,
    );
  if (summary.callDays.length > 0) {
    doc
      .moveDown(0.3)
      .fillColor(ALERT)
      .text(
        `${summary.callDays.length} ${summary.callDays.length === 1 ? 'day' : 'days'} with a reading care teams ` +
          'ask to hear about at once (a temperature of 38 °C or more, or a severe symptom).',
      );
  }

  section(
    doc,
    'What changed',
    brief.changes,
    'No symptom changed much between the first and second half of the period.',
  );
  section(doc, 'The worst days', brief.worstDays, 'No symptom was recorded above "none".');
  section(
    doc,
    'My questions',
    brief.questions.map((q) => `${q.day}: ${q.text}`),
    'No questions written down in this period.',
  );
  section(
    doc,
    'Medicines and treatments',
    brief.medicines.map((m) => m.words),
    'None written down in this period.',
  );
  section(
    doc,
    'Temperatures',
    brief.temperatures.map((t) => `${t.day}: ${t.words}${t.high ? ' (38 °C or more)' : ''}`),
    'No temperature written down in this period.',
  );
  if (brief.appointments.length > 0) {
    section(
      doc,
      'Appointments',
      brief.appointments.map((a) => `${a.day}: ${a.text}`),
      '',
    );
  }
  section(
    doc,
    'Each symptom',
    brief.symptoms.map((s) => `${s.label}: highest ${s.highest}; latest ${s.latest}; ${s.change}.`),
    'No symptom recorded in this period.',
  );
  doc
    .moveDown(1)
    .font('Helvetica')
    .fontSize(9)
    .fillColor(QUIET)
    .text(
      `Grades as she recorded them each day: none, mild, moderate, severe, very severe. Made on ${input.madeOn} ` +
        'from her private symptom journal in Haven.',
    );
  doc.end();
  return done;
}

function section(doc: PDFKit.PDFDocument, title: string, lines: readonly string[], empty: string): void {
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor(INK).text(title);
  doc.moveDown(0.2).font('Helvetica').fontSize(11);
  if (lines.length === 0) {
    doc.fillColor(QUIET).text(empty);
    return;
  }
  doc.fillColor(INK).list(lines.map(latin1), { bulletRadius: 2, textIndent: 12, paragraphGap: 2 });
}

/** What Helvetica (WinAnsi) can print; anything else becomes "?". */
function latin1(text: string): string {
  return text.replace(/[^\n\x20-\x7e\xa0-\xff]/g, '?');
}
