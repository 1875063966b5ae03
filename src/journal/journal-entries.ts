import { badInput } from '../common/errors/domain-error';
import type { CallReason } from './call-care-team';
import type { EntryInputDto } from './dto/journal.dto';
import type { EntryContent, JournalEntry, JournalSettings } from './journal.types';
import { GRADE_LABELS, type Grade, isCatalogued, symptomLabel } from './symptoms';

/** The day's sealed content from her input: symptoms from the catalogue or her own list, each once. */
export function entryContent(input: EntryInputDto, settings: JournalSettings): EntryContent {
  const own = new Map(settings.ownSymptoms.map((s) => [s.toLowerCase(), s]));
  const seen = new Set<string>();
  const symptoms = input.symptoms.map((s, i) => {
    const name = isCatalogued(s.name) ? s.name : own.get(s.name.trim().toLowerCase());
    if (!name) {
      throw badInput(
        `symptoms[${i}].name`,
        'must be a symptom from the list or one of your own (add it in journal settings)',
      );
    }
    if (seen.has(name)) throw badInput(`symptoms[${i}].name`, 'is listed twice');
    seen.add(name);
    return { name, grade: s.grade, ...(s.note ? { note: s.note } : {}) };
  });
  return {
    symptoms,
    ...(input.temperatureC !== undefined ? { temperatureC: Math.round(input.temperatureC * 10) / 10 } : {}),
    ...(input.medicines?.length ? { medicines: input.medicines } : {}),
    ...(input.appointment ? { appointment: input.appointment } : {}),
    ...(input.note ? { note: input.note } : {}),
    ...(input.questions ? { questions: input.questions } : {}),
  };
}

export function toEntry(date: string, c: EntryContent, updatedAt: Date): JournalEntry {
  return {
    date,
    symptoms: c.symptoms.map((s) => ({
      name: s.name,
      label: symptomLabel(s.name),
      grade: s.grade,
      note: s.note ?? null,
    })),
    temperatureC: c.temperatureC ?? null,
    medicines: c.medicines ?? [],
    appointment: c.appointment ?? null,
    note: c.note ?? null,
    questions: c.questions ?? null,
    updatedAt: updatedAt.toISOString(),
  };
}

/** A reason to call, in words for her. */
export function inWords(reason: CallReason): string {
  if (reason.kind === 'temperature') return `A temperature of ${reason.temperatureC} °C`;
  return `${symptomLabel(reason.name)}: ${GRADE_LABELS[reason.grade as Grade].toLowerCase()}`;
}
