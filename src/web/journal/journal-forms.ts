import { EntryInputDto, SettingsPatchDto, ShareInputDto } from '../../journal/dto/journal.dto';
import { CARE_NUMBERS_MAX } from '../../journal/journal.constants';
import type { JournalEntry, JournalSettings } from '../../journal/journal.types';
import { CATALOGUE, GRADE_LABELS, GRADES } from '../../journal/symptoms';
import { field } from '../core/forms';

/** The day's form as typed: a grade (''/'0'…'4') and a note per symptom, the rest as text. */
export interface EntryForm {
  grades: Record<string, string>;
  notes: Record<string, string>;
  temperatureC: string;
  /** Ticked from her own list. */
  medicines: string[];
  /** Typed: one a line, or separated by commas. */
  otherMedicines: string;
  appointment: string;
  note: string;
  questions: string;
}

export const ENTRY_LABELS: Record<string, string> = {
  date: 'Day',
  symptoms: 'Symptoms',
  temperatureC: 'Temperature',
  medicines: 'Medicines',
  appointment: 'Appointment',
  note: 'Note',
  questions: 'Questions for your care team',
};

/** Where each field's problem links to (the error summary). */
export const ENTRY_FIELD_IDS: Record<string, string> = {
  date: 'entry-form',
  symptoms: 'symptom-0',
  temperatureC: 'temperatureC',
  medicines: 'otherMedicines',
  appointment: 'appointment',
  note: 'note',
  questions: 'questions',
};

/** One row of the form: a symptom, its five grades, and a "where" for pain. */
export interface SymptomRow {
  name: string;
  label: string;
  /** The label of its note field when it has one ("Where" for pain). */
  noteLabel: string | null;
  index: number;
}

const values = (body: unknown, name: string): string[] => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
};

/** The rows of her form: the catalogue, then her own symptoms. */
export function symptomRows(settings: JournalSettings): SymptomRow[] {
  return [
    ...CATALOGUE.map((s) => ({ name: s.name as string, label: s.label as string, noteLabel: noteLabelOf(s) })),
    ...settings.ownSymptoms.map((name) => ({ name, label: name, noteLabel: null })),
  ].map((row, index) => ({ ...row, index }));
}

const noteLabelOf = (s: (typeof CATALOGUE)[number]): string | null => ('noteLabel' in s ? s.noteLabel : null);

export const GRADE_OPTIONS = GRADES.map((grade) => ({ value: String(grade), label: GRADE_LABELS[grade] }));

export const ENTRY_FORM = {
  dto: EntryInputDto,
  labels: ENTRY_LABELS,
  typed: (body: unknown): EntryForm => {
    const grades: Record<string, string> = {};
    const notes: Record<string, string> = {};
    for (const key of Object.keys((body as object | undefined) ?? {})) {
      if (key.startsWith('grade:')) grades[key.slice(6)] = field(body, key);
      if (key.startsWith('note:')) notes[key.slice(5)] = field(body, key).trim();
    }
    return {
      grades,
      notes,
      temperatureC: field(body, 'temperatureC').trim(),
      medicines: values(body, 'medicines'),
      otherMedicines: field(body, 'otherMedicines'),
      appointment: field(body, 'appointment').trim(),
      note: field(body, 'note').trim(),
      questions: field(body, 'questions').trim(),
    };
  },
  values: (typed: EntryForm) => ({
    symptoms: Object.entries(typed.grades)
      .filter(([, grade]) => grade !== '')
      .map(([name, grade]) => ({
        name,
        grade: /^[0-4]$/.test(grade) ? Number(grade) : grade,
        ...(typed.notes[name] ? { note: typed.notes[name] } : {}),
      })),
    temperatureC: temperature(typed.temperatureC),
    medicines: medicineList(typed),
    appointment: typed.appointment || undefined,
    note: typed.note || undefined,
    questions: typed.questions || undefined,
  }),
};

/** "37,5" and "37.5" are the same; anything else goes to the validator as it was typed (its message names it). */
function temperature(typed: string): number | string | undefined {
  if (typed === '') return undefined;
  const n = Number(typed.replace(',', '.'));
  return Number.isFinite(n) ? n : typed;
}

function medicineList(typed: EntryForm): string[] | undefined {
  const typedOnes = typed.otherMedicines
    .split(/[\n,]/)
    .map((m) => m.trim())
    .filter(Boolean);
  const all = [...new Set([...typed.medicines.map((m) => m.trim()).filter(Boolean), ...typedOnes])];
  return all.length ? all : undefined;
}

/** A saved day as the form shows it. */
export function entryForm(entry: JournalEntry | null): EntryForm {
  return {
    grades: Object.fromEntries((entry?.symptoms ?? []).map((s) => [s.name, String(s.grade)])),
    notes: Object.fromEntries((entry?.symptoms ?? []).filter((s) => s.note).map((s) => [s.name, s.note as string])),
    temperatureC: entry?.temperatureC != null ? String(entry.temperatureC) : '',
    medicines: entry?.medicines ?? [],
    otherMedicines: '',
    appointment: entry?.appointment ?? '',
    note: entry?.note ?? '',
    questions: entry?.questions ?? '',
  };
}

/** Medicines of the day that are not on her list are typed in the free field. */
export function withOwnList(form: EntryForm, settings: JournalSettings): EntryForm {
  const listed = new Set(settings.medicines);
  const extra = form.medicines.filter((m) => !listed.has(m));
  if (extra.length === 0) return form;
  return {
    ...form,
    medicines: form.medicines.filter((m) => listed.has(m)),
    otherMedicines: [form.otherMedicines, ...extra].filter(Boolean).join('\n'),
  };
}

/** Her journal settings as typed. */
export interface SettingsForm {
  careNumbers: Array<{ label: string; number: string }>;
  ownSymptoms: string;
  medicines: string;
  frequency: string;
  hour: string;
  weekday: string;
}

export const SETTINGS_LABELS: Record<string, string> = {
  careNumbers: 'Care team numbers',
  ownSymptoms: 'Your own symptoms',
  medicines: 'Your medicines',
  reminder: 'Reminder',
  frequency: 'Reminder',
  hour: 'Reminder hour',
  weekday: 'Reminder day',
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export const SETTINGS_FORM = {
  dto: SettingsPatchDto,
  labels: SETTINGS_LABELS,
  typed: (body: unknown): SettingsForm => ({
    careNumbers: Array.from({ length: CARE_NUMBERS_MAX }, (_, i) => ({
      label: field(body, `careLabel${i}`).trim(),
      number: field(body, `careNumber${i}`).trim(),
    })),
    ownSymptoms: field(body, 'ownSymptoms'),
    medicines: field(body, 'medicines'),
    frequency: field(body, 'frequency') || 'off',
    hour: field(body, 'hour'),
    weekday: field(body, 'weekday'),
  }),
  values: (typed: SettingsForm) => ({
    careNumbers: typed.careNumbers
      .filter((c) => c.label || c.number)
      .map((c) => ({ label: c.label || 'Care team', number: c.number })),
    ownSymptoms: lines(typed.ownSymptoms),
    medicines: lines(typed.medicines),
    reminder: {
      frequency: typed.frequency,
      hour: /^\d+$/.test(typed.hour) ? Number(typed.hour) : undefined,
      weekday: /^\d+$/.test(typed.weekday) ? Number(typed.weekday) : undefined,
    },
  }),
};

export function settingsForm(settings: JournalSettings): SettingsForm {
  return {
    careNumbers: Array.from(
      { length: CARE_NUMBERS_MAX },
      (_, i) => settings.careNumbers[i] ?? { label: '', number: '' },
    ),
    ownSymptoms: settings.ownSymptoms.join('\n'),
    medicines: settings.medicines.join('\n'),
    frequency: settings.reminder.frequency,
    hour: String(settings.reminder.hour),
    weekday: String(settings.reminder.weekday),
  };
}

/** A new share link as typed. */
export interface ShareForm {
  from: string;
  to: string;
  expiresInDays: string;
}

export const SHARE_FORM = {
  dto: ShareInputDto,
  labels: { from: 'First day', to: 'Last day', expiresInDays: 'Link works for' } as Record<string, string>,
  typed: (body: unknown): ShareForm => ({
    from: field(body, 'from').trim(),
    to: field(body, 'to').trim(),
    expiresInDays: field(body, 'expiresInDays').trim(),
  }),
  values: (typed: ShareForm) => ({
    from: typed.from,
    to: typed.to,
    expiresInDays: /^\d+$/.test(typed.expiresInDays) ? Number(typed.expiresInDays) : typed.expiresInDays,
  }),
};
