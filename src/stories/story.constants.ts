/** "My story": who she is here, the cancer's subtype, the year of diagnosis and her country, each optional. */
export const STORY_ROLES = ['patient', 'carer', 'bereaved'] as const;
export type StoryRole = (typeof STORY_ROLES)[number];

export const SUBTYPES = ['hr_positive', 'her2_positive', 'triple_negative', 'other'] as const;
export type Subtype = (typeof SUBTYPES)[number];

export const ROLE_LABELS: Record<StoryRole, string> = {
  patient: 'Living with it',
  carer: 'Caring for someone',
  bereaved: 'Bereaved',
};

export const SUBTYPE_LABELS: Record<Subtype, string> = {
  hr_positive: 'HR+/HER2-',
  her2_positive: 'HER2+',
  triple_negative: 'Triple-negative',
  other: 'Other or not sure',
};

export const FIRST_DIAGNOSIS_YEAR = 1950;

/** Codes that Intl names but that are not countries one lives in (unions, pseudo-regions, retired codes). */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ', 'AN', 'BU', 'CS', 'DD', 'FX', 'NT', 'SU']);
const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** ISO 3166 two-letter codes with their English names, sorted by name (from Intl: no list to keep by hand). */
export const COUNTRIES: ReadonlyArray<{ code: string; name: string }> = (() => {
  const out: Array<{ code: string; name: string }> = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = NOT_COUNTRIES.has(code) ? undefined : REGION_NAMES.of(code);
      if (name && name !== code) out.push({ code, name });
    }
  }
  return out.sort((x, y) => x.name.localeCompare(y.name, 'en'));
})();
export const COUNTRY_CODES: readonly string[] = COUNTRIES.map((c) => c.code);
export const countryName = (code: string): string => REGION_NAMES.of(code) ?? code;
