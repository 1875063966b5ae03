const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A calendar day as people read it: "2026-12-05" -> "5 December 2026" (a date, not a moment: no zone). */
export function dayText(day: string | null | undefined): string {
  return day ? DAY.format(new Date(`${day}T00:00:00Z`)) : '';
}

/** "Dr A. Smith, consultant medical oncologist and B. Jones, specialist nurse" */
export function reviewersText(reviewers: Array<{ name: string; credentials: string }>): string {
  const each = reviewers.map((r) => `${r.name}, ${r.credentials}`);
  return each.length <= 1 ? (each[0] ?? '') : `${each.slice(0, -1).join('; ')} and ${each[each.length - 1]}`;
}
