import { pdfText } from '../../../test/support/pdf-text';
import { addDays } from './journal-dates';
import type { JournalSummary } from './summary-input';
import { renderSummaryPdf } from './summary-pdf';

const from = '2026-03-01';
function summary(): JournalSummary {
  const series = Array.from({ length: 14 }, (_, i) => ({ date: addDays(from, i), grade: i < 7 ? 1 : 3 }));
  return {
    from,
    to: addDays(from, 13),
    midpoint: addDays(from, 7),
    days: 14,
    symptoms: [
      {
        name: 'fatigue',
        label: 'Fatigue',
        series,
        worstDays: [series[13]],
        firstHalfMean: 1,
        secondHalfMean: 3,
        change: 'worse',
        highest: 3,
        latest: series[13],
      },
    ],
    worstDays: [{ date: addDays(from, 13), total: 3, severe: ['fatigue'] }],
    temperatures: [{ date: addDays(from, 9), temperatureC: 38.2 }],
    medicines: [
      { date: addDays(from, 2), items: ['Capecitabine'] },
      { date: addDays(from, 3), items: ['Capecitabine', 'Paracetamol'] },
    ],
    appointments: [{ date: addDays(from, 5), text: 'Oncology clinic' }],
    questions: [{ date: addDays(from, 12), text: 'Could the tiredness be the new dose? 日本' }],
    notes: [],
    callDays: [addDays(from, 9)],
  };
}

describe('renderSummaryPdf', () => {
  it('writes an A4 PDF whose text says what changed, the worst days, her questions, medicines and temperatures', async () => {
    const pdf = await renderSummaryPdf({ summary: summary(), madeOn: '2026-03-15', name: 'Maria' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
    const text = pdfText(pdf).join('\n');
    expect(text).toContain('Prepare for my appointment');
    expect(text).toContain('Maria: 1 Mar to 14 Mar 2026, 14 days written in the journal.');
    expect(text).toContain('Fatigue: worse in the second half of the period (from mostly mild to mostly severe).');
    expect(text).toContain('14 Mar 2026: fatigue severe');
    expect(text).toContain('13 Mar: Could the tiredness be the new dose? ??');
    expect(text).toContain('Capecitabine: 2 days, 3 Mar to 4 Mar');
    expect(text).toContain('Paracetamol: on 4 Mar');
    expect(text).toContain('10 Mar: 38.2 °C (38 °C or more)');
    expect(text).toContain('6 Mar: Oncology clinic');
  });

  it('says so kindly when the period holds nothing', async () => {
    const empty: JournalSummary = {
      ...summary(),
      days: 0,
      symptoms: [],
      worstDays: [],
      temperatures: [],
      medicines: [],
      appointments: [],
      questions: [],
      callDays: [],
    };
    const text = pdfText(await renderSummaryPdf({ summary: empty, madeOn: '2026-03-15' })).join('\n');
    expect(text).toContain('1 Mar to 14 Mar 2026, 0 days written in the journal.');
    expect(text).toContain('No questions written down in this period.');
    expect(text).not.toContain('Appointments');
  });
});
