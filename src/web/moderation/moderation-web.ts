import { type FormRefusal, formRefusal, inWords } from '../core/forms';
import { fullTime } from '../core/dates';
import { safeLocalPath } from '../core/pages';

/** The moderators' sub-navigation: every page of the area, in order; watched words are for admins (as on the API). */
export const SECTIONS = [
  { key: 'queue', href: '/mod', label: 'Queue', admin: false },
  { key: 'sanctions', href: '/mod/sanctions', label: 'Sanctions', admin: false },
  { key: 'watched-words', href: '/mod/watched-words', label: 'Watched words', admin: true },
  { key: 'audit', href: '/mod/audit', label: 'Audit log', admin: false },
  { key: 'rooms', href: '/mod/rooms', label: 'Chat rooms', admin: false },
] as const;
export type Section = (typeof SECTIONS)[number]['key'];

/** "3 Dec 2026, 18:00 UTC": moderators in different places read one clock. */
export const when = fullTime;

/** An ISO time as a `datetime-local` field shows it (UTC, to the minute). */
export function toLocalField(iso: string | null | undefined): string {
  return iso ? new Date(iso).toISOString().slice(0, 16) : '';
}

/** A `datetime-local` value, read as UTC (the forms say so), as the API's ISO-8601; anything else as typed. */
export function fromLocalField(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return undefined;
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v.length === 16 ? `${v}:00` : v}.000Z` : v;
}

/** What every moderation template gets besides its own data. */
export function chrome(section: Section, isAdmin: boolean) {
  return { section, sections: SECTIONS.filter((s) => isAdmin || !s.admin), when };
}

/** What a moderation form shows above it besides bad input: also a member not found or an action not allowed. */
export const MODERATION_REFUSALS = ['forbidden', 'not_found'] as const;

/** A refusal to show above a moderation form (see MODERATION_REFUSALS), in the form's words (`labels`). */
export const refusal = (err: unknown, labels: Record<string, string> = {}): FormRefusal =>
  inWords(formRefusal(err, MODERATION_REFUSALS), labels);

/** Where to go back to after an action: a moderation page, never anywhere else. */
export function backTo(value: string, fallback: string): string {
  const path = safeLocalPath(value, fallback);
  return path === '/mod' || path.startsWith('/mod/') || path.startsWith('/mod?') ? path : fallback;
}

/** `?cursor=` for a "next page" link, keeping the page's other filters. */
export function pageHref(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const qs = query.toString();
  return qs ? `${path}?${qs}` : path;
}
