import type { JournalEntry } from './journal.types';
import { CATALOGUE_NAMES, symptomLabel } from './symptoms';

/**
 * Her journal as CSV (RFC 4180, one row a day, oldest first): the day, one column of grades per symptom she ever
 * graded (the catalogue's order, then her own) with its notes beside it when she wrote any, then temperature,
 * medicines (joined with "; "), appointment, note and questions. A cell that a spreadsheet would run as a formula
 * starts with an apostrophe.
 */
export function journalCsv(entries: readonly JournalEntry[]): string {
  const names = new Set<string>();
  const noted = new Set<string>();
  for (const e of entries) {
    for (const s of e.symptoms) {
      names.add(s.name);
      if (s.note) noted.add(s.name);
    }
  }
  const symptoms = [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const header = ['date'];
  for (const name of symptoms) {
    header.push(symptomLabel(name));
    if (noted.has(name)) header.push(`${symptomLabel(name)} note`);
  }
  header.push('temperature (°C)', 'medicines', 'appointment', 'note', 'questions');
  const lines = [header.map(cell).join(',')];
  for (const e of entries) {
    const byName = new Map(e.symptoms.map((s) => [s.name, s]));
    const row: Array<string | number | null> = [e.date];
    for (const name of symptoms) {
      row.push(byName.get(name)?.grade ?? null);
      if (noted.has(name)) row.push(byName.get(name)?.note ?? null);
    }
    row.push(e.temperatureC, e.medicines.join('; '), e.appointment, e.note, e.questions);
    lines.push(row.map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function cell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function rank(name: string): number {
  const i = CATALOGUE_NAMES.indexOf(name);
  return i < 0 ? CATALOGUE_NAMES.length : i;
}
