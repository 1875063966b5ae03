import type { StoryFacts } from '../../stories/dto/story.dto';
import {
  COUNTRIES,
  countryName,
  ROLE_LABELS,
  STORY_ROLES,
  type StoryRole,
  SUBTYPE_LABELS,
  SUBTYPES,
  type Subtype,
} from '../../stories/story.constants';

/** The choices the story form and the members page offer, in words. */
export const ROLE_OPTIONS = STORY_ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }));
export const SUBTYPE_OPTIONS = SUBTYPES.map((value) => ({ value, label: SUBTYPE_LABELS[value] }));
export const COUNTRY_OPTIONS = COUNTRIES.map((c) => ({ value: c.code, label: c.name }));

/** A story's facts as a list of "term: words" the templates print (what she did not say is left out). */
export function storyLines(story: StoryFacts): Array<{ term: string; words: string }> {
  const lines: Array<{ term: string; words: string }> = [];
  if (story.role) lines.push({ term: 'Here as', words: ROLE_LABELS[story.role as StoryRole] });
  if (story.subtype) lines.push({ term: 'Subtype', words: SUBTYPE_LABELS[story.subtype as Subtype] });
  if (story.diagnosisYear) lines.push({ term: 'Diagnosed', words: String(story.diagnosisYear) });
  if (story.country) lines.push({ term: 'Country', words: countryName(story.country) });
  return lines;
}

export const subtypeLabel = (s: string): string => SUBTYPE_LABELS[s as Subtype] ?? s;
