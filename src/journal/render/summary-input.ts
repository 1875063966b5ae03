/**
 * What the render layer draws from: the journal's summary of one period (the contract's /api/journal/summary), as
 * journal.types.ts defines it.
 */
export interface GradePoint {
  date: string;
  grade: number;
}

export interface SymptomSummary {
  name: string;
  label: string;
  series: GradePoint[];
  worstDays: GradePoint[];
  firstHalfMean: number | null;
  secondHalfMean: number | null;
  change: 'worse' | 'better' | 'same' | null;
  highest: number;
  latest: GradePoint | null;
}

export interface JournalSummary {
  from: string;
  to: string;
  midpoint: string;
  days: number;
  symptoms: SymptomSummary[];
  worstDays: Array<{ date: string; total: number; severe: string[] }>;
  temperatures: Array<{ date: string; temperatureC: number }>;
  medicines: Array<{ date: string; items: string[] }>;
  appointments: Array<{ date: string; text: string }>;
  questions: Array<{ date: string; text: string }>;
  notes: Array<{ date: string; text: string }>;
  callDays: string[];
}
