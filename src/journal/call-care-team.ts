import type { CatalogueSymptom } from './symptoms';

/**
 * "When to call": the one rule that decides whether a day's entry should show, calmly, "call your care team or
 * acute oncology line now". Its thresholds follow the published acute-oncology triage guidance:
 *
 * - UKONS (UK Oncology Nursing Society) 24-Hour Triage Tool, 3rd edition (2020): a temperature of 37.5 °C or more
 *   in anyone on anti-cancer treatment is "red" (assess at once), and grade 3-4 of breathlessness, pain,
 *   nausea/vomiting and neurosensory change is "red" too.
 * - NICE guideline NG151 (neutropenic sepsis, 2020) and the acute oncology lines' leaflets ask people on
 *   chemotherapy to call at once with a temperature of 38 °C or more: the threshold the issue asks for, kept here
 *   (a member's team may tell her a lower one; the page says to follow her team's advice).
 * - New or severe numbness or weakness can be a sign of spinal cord compression, which NICE NG234 (2023) asks
 *   people with cancer that has spread to the bones to report at once.
 *
 * Her own added symptoms never trigger it: Haven cannot know what they mean. The answer is shown to her only and
 * is never shared, mailed or sent anywhere.
 */
export const FEVER_C = 38;

/** Symptoms whose severe (3) or very severe (4) grade means: call now. */
export const CALL_AT_GRADE: Partial<Record<CatalogueSymptom, 3 | 4>> = {
  breathlessness: 3,
  pain: 3,
  nausea: 3,
  numbness: 3,
};

export interface DayReadings {
  symptoms: ReadonlyArray<{ name: string; grade: number }>;
  temperatureC?: number | null;
}

export type CallReason =
  { kind: 'temperature'; temperatureC: number } | { kind: 'symptom'; name: string; grade: number };

/** Why this day asks her to call her care team now; empty when it does not. */
export function callCareTeamReasons(day: DayReadings): CallReason[] {
  const reasons: CallReason[] = [];
  if (day.temperatureC != null && day.temperatureC >= FEVER_C) {
    reasons.push({ kind: 'temperature', temperatureC: day.temperatureC });
  }
  for (const s of day.symptoms) {
    const at = CALL_AT_GRADE[s.name as CatalogueSymptom];
    if (at !== undefined && s.grade >= at) reasons.push({ kind: 'symptom', name: s.name, grade: s.grade });
  }
  return reasons;
}

export const shouldCallCareTeam = (day: DayReadings): boolean => callCareTeamReasons(day).length > 0;
