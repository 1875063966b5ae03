/**
 * The symptom journal's catalogue: the common symptoms a member grades each day (her own added ones sit beside
 * them, in her journal settings), and the five grades of oncology's patient-reported grading (PRO-CTCAE's
 * none / mild / moderate / severe / very severe). The one home of these names: the API, the pages, the charts and
 * the "when to call" rule all read them from here.
 */
export const CATALOGUE = [
  { name: 'fatigue', label: 'Fatigue' },
  { name: 'pain', label: 'Pain', noteLabel: 'Where' },
  { name: 'nausea', label: 'Nausea' },
  { name: 'appetite', label: 'Poor appetite' },
  { name: 'sleep', label: 'Poor sleep' },
  { name: 'breathlessness', label: 'Breathlessness' },
  { name: 'numbness', label: 'Numbness or tingling' },
  { name: 'hot_flushes', label: 'Hot flushes' },
  { name: 'low_mood', label: 'Low mood' },
  { name: 'anxiety', label: 'Anxiety' },
] as const satisfies ReadonlyArray<{ name: string; label: string; noteLabel?: string }>;

export type CatalogueSymptom = (typeof CATALOGUE)[number]['name'];
export const CATALOGUE_NAMES: readonly string[] = CATALOGUE.map((s) => s.name);

export const isCatalogued = (name: string): name is CatalogueSymptom => CATALOGUE_NAMES.includes(name);

/** A name or label of the catalogue's, in any case: her own symptoms may not take one. */
export const namesCatalogued = (word: string): boolean =>
  CATALOGUE.some((s) => s.name === word.toLowerCase() || s.label.toLowerCase() === word.toLowerCase());

/** The label a page shows: the catalogue's words, or her own symptom as she wrote it. */
export function symptomLabel(name: string): string {
  return CATALOGUE.find((s) => s.name === name)?.label ?? name;
}

/** 0-4, as PRO-CTCAE grades severity. */
export const GRADES = [0, 1, 2, 3, 4] as const;
export type Grade = (typeof GRADES)[number];
export const GRADE_LABELS: Record<Grade, string> = {
  0: 'None',
  1: 'Mild',
  2: 'Moderate',
  3: 'Severe',
  4: 'Very severe',
};

/** Her own symptoms: at most this many, each a short name (not one of the catalogue's). */
export const OWN_SYMPTOMS_MAX = 20;
export const OWN_SYMPTOM_MAX_LENGTH = 40;
