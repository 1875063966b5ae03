/**
 * IANA time zones, as Intl knows them: a member's zone is stored by its canonical name ("US/Eastern" is kept as
 * "America/New_York", "utc" as "UTC"), so each zone has one spelling in the database and one clock in the pages.
 */
export function canonicalTimeZone(zone: unknown): string | undefined {
  if (typeof zone !== 'string' || zone === '' || zone.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The zones a member may choose, UTC first, then Intl's canonical list (about 420, "Africa/Abidjan" onwards). */
export const TIME_ZONES: readonly string[] = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
