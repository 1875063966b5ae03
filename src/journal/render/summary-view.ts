import type { ChartData } from './charts';
import { longDay, shortDay } from './journal-dates';
import type { JournalSummary, SymptomSummary } from './summary-input';
import { gradeWord } from './words';

/** The time line and series the charts draw, from a summary. */
export function chartDataOf(summary: JournalSummary): ChartData {
  return {
    from: summary.from,
    to: summary.to,
    symptoms: summary.symptoms.map((s) => ({ name: s.name, label: s.label, points: s.series })),
    events: [
      ...summary.medicines.map((m) => ({ date: m.date, kind: 'treatment' as const, text: m.items.join(', ') })),
      ...summary.appointments.map((a) => ({ date: a.date, kind: 'appointment' as const, text: a.text })),
    ],
  };
}

/** "Prepare for my appointment" in sentences: the same words on the page, in print and in the PDF. */
export interface AppointmentBrief {
  changes: string[];
  worstDays: string[];
  questions: Array<{ day: string; text: string }>;
  medicines: Array<{ name: string; days: number; first: string; last: string; words: string }>;
  temperatures: Array<{ day: string; words: string; high: boolean }>;
  appointments: Array<{ day: string; text: string }>;
  notes: Array<{ day: string; text: string }>;
  symptoms: Array<{ label: string; highest: string; latest: string; change: string }>;
}

const FEVER_C = 38;

export function appointmentBrief(summary: JournalSummary): AppointmentBrief {
  return {
    changes: summary.symptoms.flatMap((s) => changeWords(s)),
    worstDays: summary.worstDays.map((d) => {
      const grades = summary.symptoms
        .map((s) => ({ label: s.label, grade: s.series.find((p) => p.date === d.date)?.grade ?? 0 }))
        .filter((s) => s.grade > 0)
        .sort((a, b) => b.grade - a.grade)
        .map((s) => `${s.label.toLowerCase()} ${gradeWord(s.grade)}`);
      return `${longDay(d.date)}: ${grades.join(', ')}`;
    }),
    questions: summary.questions.map((q) => ({ day: shortDay(q.date), text: q.text })),
    medicines: medicineList(summary),
    temperatures: summary.temperatures.map((t) => ({
      day: shortDay(t.date),
      words: `${t.temperatureC.toFixed(1)} °C`,
      high: t.temperatureC >= FEVER_C,
    })),
    appointments: summary.appointments.map((a) => ({ day: shortDay(a.date), text: a.text })),
    notes: summary.notes.map((n) => ({ day: shortDay(n.date), text: n.text })),
    symptoms: summary.symptoms.map((s) => ({
      label: s.label,
      highest: gradeWord(s.highest),
      latest: s.latest ? `${gradeWord(s.latest.grade)} (${shortDay(s.latest.date)})` : 'not recorded',
      change: s.change === null ? 'not enough days to say' : s.change === 'same' ? 'about the same' : s.change,
    })),
  };
}

function changeWords(s: SymptomSummary): string[] {
  if (s.change !== 'worse' && s.change !== 'better') return [];
  const before = gradeWord(Math.round(s.firstHalfMean ?? 0));
  const after = gradeWord(Math.round(s.secondHalfMean ?? 0));
  const how = before === after ? `mostly ${after}` : `from mostly ${before} to mostly ${after}`;
  return [`${s.label}: ${s.change} in the second half of the period (${how}).`];
}

function medicineList(summary: JournalSummary): AppointmentBrief['medicines'] {
  const byName = new Map<string, { name: string; days: number; first: string; last: string }>();
  for (const day of summary.medicines) {
    for (const item of day.items) {
      const key = item.trim().toLowerCase();
      const seen = byName.get(key);
      if (seen) {
        seen.days += 1;
        seen.last = day.date;
      } else byName.set(key, { name: item.trim(), days: 1, first: day.date, last: day.date });
    }
  }
  return [...byName.values()]
    .sort((a, b) => b.days - a.days || a.name.localeCompare(b.name))
    .map((m) => ({
      ...m,
      words:
        m.days === 1
          ? `${m.name}: on ${shortDay(m.first)}`
          : `${m.name}: ${m.days} days, ${shortDay(m.first)} to ${shortDay(m.last)}`,
    }));
}
