import { journalCsv } from './journal-csv';
import type { JournalEntry } from './journal.types';

const entry = (date: string, over: Partial<JournalEntry>): JournalEntry => ({
  date,
  symptoms: [],
  temperatureC: null,
  medicines: [],
  appointment: null,
  note: null,
  questions: null,
  updatedAt: '2026-03-01T10:00:00.000Z',
  ...over,
});

describe(journalCsv.name, () => {
  it('writes one row a day, a grade column per symptom, notes beside them only when there are some', () => {
    const csv = journalCsv([
      entry('2026-03-01', {
        symptoms: [
          { name: 'pain', label: 'Pain', grade: 2, note: 'hip, "sharp"' },
          { name: 'fatigue', label: 'Fatigue', grade: 1, note: null },
        ],
        temperatureC: 37.5,
        medicines: ['Capecitabine', 'Paracetamol'],
      }),
      entry('2026-03-02', {
        symptoms: [{ name: 'Mouth sores', label: 'Mouth sores', grade: 3, note: null }],
        note: 'line one\nline two',
      }),
    ]);
    expect(csv.split('\r\n')).toEqual([
      'date,Fatigue,Pain,Pain note,Mouth sores,temperature (°C),medicines,appointment,note,questions',
      '2026-03-01,1,2,"hip, ""sharp""",,37.5,Capecitabine; Paracetamol,,,',
      '2026-03-02,,,,3,,,,"line one\nline two",',
      '',
    ]);
  });

  it('keeps a spreadsheet from running a cell as a formula', () => {
    const csv = journalCsv([
      entry('2026-03-01', { note: '=HYPERLINK("http://x")', questions: '+1', appointment: '@GP' }),
    ]);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain(`'@GP`);
    expect(csv).toContain(`'+1`);
  });
});
