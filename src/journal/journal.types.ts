import type { ReminderFrequency } from './journal.constants';

/** What is sealed in an entry's payload (never in clear). */
export interface EntryContent {
  symptoms: Array<{ name: string; grade: number; note?: string }>;
  temperatureC?: number;
  medicines?: string[];
  appointment?: string;
  note?: string;
  questions?: string;
}

/** A day of her journal, as the API gives it. */
export interface JournalEntry {
  date: string;
  symptoms: Array<{ name: string; label: string; grade: number; note: string | null }>;
  temperatureC: number | null;
  medicines: string[];
  appointment: string | null;
  note: string | null;
  questions: string | null;
  updatedAt: string;
}

export interface CareNumber {
  label: string;
  number: string;
}

export interface Reminder {
  frequency: ReminderFrequency;
  hour: number;
  /** 1 Monday ... 7 Sunday (weekly only). */
  weekday: number;
}

/** Her journal settings (sealed). */
export interface JournalSettings {
  careNumbers: CareNumber[];
  ownSymptoms: string[];
  medicines: string[];
  reminder: Reminder;
}

export interface PutResult {
  entry: JournalEntry;
  created: boolean;
  /** The day holds a reading her care team asks to hear about at once (call-care-team.ts). */
  callCareTeam: boolean;
  /** Why, in words for her. */
  callReasons: string[];
  /** Her saved numbers (only when callCareTeam). */
  careNumbers: CareNumber[];
}

export interface GradePoint {
  date: string;
  grade: number;
}

export interface SymptomSummary {
  name: string;
  label: string;
  /** One point a day she graded it, oldest first. */
  series: GradePoint[];
  /** Her worst days of it (grade 1 or more), worst first, then latest first; at most 3. */
  worstDays: GradePoint[];
  /** Mean grade of the first and second half of the period (null: no grade in that half). */
  firstHalfMean: number | null;
  secondHalfMean: number | null;
  /** Second half against the first: worse, better, same (within a quarter grade), or null (not enough data). */
  change: 'worse' | 'better' | 'same' | null;
  highest: number;
  latest: GradePoint | null;
}

/** What the charts and "Prepare for my appointment" draw from one period. */
export interface JournalSummary {
  from: string;
  to: string;
  /** The day the period splits: days before it are the first half. */
  midpoint: string;
  days: number;
  symptoms: SymptomSummary[];
  /** The days with the highest total of grades, worst first; at most 3. */
  worstDays: Array<{ date: string; total: number; severe: string[] }>;
  temperatures: Array<{ date: string; temperatureC: number }>;
  medicines: Array<{ date: string; items: string[] }>;
  appointments: Array<{ date: string; text: string }>;
  questions: Array<{ date: string; text: string }>;
  notes: Array<{ date: string; text: string }>;
  /** Days that asked her to call her care team. */
  callDays: string[];
  /** Asked `since=appointment`: the appointment the period starts at (null: none noted, the default period). */
  since?: { date: string; text: string } | null;
}

export interface ShareView {
  at: string;
  browser: string;
  device: string;
}

export interface JournalShare {
  id: string;
  from: string;
  to: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  status: 'live' | 'expired' | 'revoked';
  views: ShareView[];
  viewCount: number;
}

export interface SharedJournal {
  from: string;
  to: string;
  ownerDisplayName: string;
  expiresAt: string;
  /** `callDays` always empty: which days asked her to call her care team is hers alone, never shared. */
  summary: JournalSummary;
  entries: JournalEntry[];
}
