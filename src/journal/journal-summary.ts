import { callCareTeamReasons } from './call-care-team';
import { addDays, daysBetween } from './journal-days';
import type { EntryContent, GradePoint, JournalSummary, SymptomSummary } from './journal.types';
import { CATALOGUE_NAMES, symptomLabel } from './symptoms';

/** A difference of means below this is "about the same". */
const SAME_WITHIN = 0.25;
const WORST_DAYS = 3;

export interface OpenDay {
  date: string;
  content: EntryContent;
}

/**
 * What the charts and the appointment page draw, from one period of her days (any order): per symptom its daily
 * series, worst days and the change from the first half of the period to the second; temperatures, medicines and
 * appointments as marks on the time line; the questions and notes she wrote. Pure: the service opens the rows.
 */
export function summarise(from: string, to: string, days: readonly OpenDay[]): JournalSummary {
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  const length = daysBetween(from, to) + 1;
  const midpoint = addDays(from, Math.floor(length / 2));
  const series = new Map<string, GradePoint[]>();
  const out: JournalSummary = {
    from,
    to,
    midpoint,
    days: sorted.length,
    symptoms: [],
    worstDays: [],
    temperatures: [],
    medicines: [],
    appointments: [],
    questions: [],
    notes: [],
    callDays: [],
  };
  const totals: Array<{ date: string; total: number; severe: string[] }> = [];
  for (const { date, content } of sorted) {
    let total = 0;
    const severe: string[] = [];
    for (const s of content.symptoms) {
      const points = series.get(s.name) ?? [];
      points.push({ date, grade: s.grade });
      series.set(s.name, points);
      total += s.grade;
      if (s.grade >= 3) severe.push(s.name);
    }
    if (total > 0) totals.push({ date, total, severe });
    if (content.temperatureC !== undefined) out.temperatures.push({ date, temperatureC: content.temperatureC });
    if (content.medicines?.length) out.medicines.push({ date, items: content.medicines });
    if (content.appointment) out.appointments.push({ date, text: content.appointment });
    if (content.questions) out.questions.push({ date, text: content.questions });
    if (content.note) out.notes.push({ date, text: content.note });
    if (callCareTeamReasons(content).length > 0) out.callDays.push(date);
  }
  out.symptoms = [...series.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([name, points]) => symptomSummary(name, points, midpoint));
  out.worstDays = totals.sort((a, b) => b.total - a.total || b.date.localeCompare(a.date)).slice(0, WORST_DAYS);
  return out;
}

function symptomSummary(name: string, series: GradePoint[], midpoint: string): SymptomSummary {
  const firstHalfMean = mean(series.filter((p) => p.date < midpoint));
  const secondHalfMean = mean(series.filter((p) => p.date >= midpoint));
  let change: SymptomSummary['change'] = null;
  if (firstHalfMean !== null && secondHalfMean !== null) {
    const d = secondHalfMean - firstHalfMean;
    change = Math.abs(d) < SAME_WITHIN ? 'same' : d > 0 ? 'worse' : 'better';
  }
  return {
    name,
    label: symptomLabel(name),
    series,
    worstDays: series
      .filter((p) => p.grade > 0)
      .sort((a, b) => b.grade - a.grade || b.date.localeCompare(a.date))
      .slice(0, WORST_DAYS),
    firstHalfMean,
    secondHalfMean,
    change,
    highest: Math.max(...series.map((p) => p.grade)),
    latest: series[series.length - 1] ?? null,
  };
}

function mean(points: GradePoint[]): number | null {
  if (points.length === 0) return null;
  return Math.round((points.reduce((sum, p) => sum + p.grade, 0) / points.length) * 100) / 100;
}

/** Catalogue symptoms in the catalogue's order, then her own. */
function order(name: string): number {
  const i = CATALOGUE_NAMES.indexOf(name);
  return i < 0 ? CATALOGUE_NAMES.length : i;
}
