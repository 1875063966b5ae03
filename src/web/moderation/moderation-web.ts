import { type FormRefusal, formRefusal, inWords } from '../core/forms';
import { readerZone, UTC, type ZoneClock } from '../core/dates';
import type { Principal } from '../../common/auth/principal';
import { safeLocalPath } from '../core/pages';

/** The moderators' sub-navigation: every page of the area, in order; watched words are for admins (as on the API). */
export const SECTIONS = [
  { key: 'queue', href: '/mod', label: 'Queue', admin: false },
  { key: 'sanctions', href: '/mod/sanctions', label: 'Sanctions', admin: false },
  { key: 'watched-words', href: '/mod/watched-words', label: 'Watched words', admin: true },
  { key: 'audit', href: '/mod/audit', label: 'Audit log', admin: false },
  { key: 'rooms', href: '/mod/rooms', label: 'Chat rooms', admin: false },
  { key: 'reach-out', href: '/admin/reach-out', label: 'Reaching out', admin: true },
] as const;
export type Section = (typeof SECTIONS)[number]['key'];

/** "3 Dec 2026, 18:00 UTC", or in the moderator's own zone, named: each reads her own clock, never a guess. */
export const whenFor = (me: Principal | undefined) => (at: string | null | undefined) => readerZone(me).fullTime(at);

/** An ISO time as a `datetime-local` field shows it, in the moderator's zone (to the minute; the form names it). */
export function toLocalField(iso: string | null | undefined, zone: ZoneClock = UTC): string {
  return zone.field(iso);
}

/**
 * A `datetime-local` value, read in the zone the form named (its hidden `zone`, the moderator's own when it was
 * shown; UTC by default), as the API's ISO-8601; anything else as typed.
 */
export function fromLocalField(value: string, zone: ZoneClock = UTC): string | undefined {
  return zone.fromField(value);
}

/** What every moderation template gets besides its own data. */
export function chrome(section: Section, me: Principal) {
  const isAdmin = me.role === 'admin';
  return { section, sections: SECTIONS.filter((s) => isAdmin || !s.admin), when: whenFor(me) };
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
