import { type DomainError, forbidden } from '../errors/domain-error';
import type { ActiveSanction } from './principal';

/**
 * What a request, a page or a socket event means to do, whatever its URL or event name: HTTP maps GET/HEAD to
 * `read` and anything else to `write` unless the route says otherwise (`@Intent()`); the chat maps joining and
 * reading to `read`, sending, typing and deleting to `write`.
 */
export type Intent = 'read' | 'write' | 'sign-in' | 'sign-out';

/**
 * What each sanction allows, in one place. Silence keeps a member reading (and signing in and out) but refuses
 * every write; a suspension or a ban refuses everything but signing out, which is always allowed so that a
 * sanctioned member can still end their sessions.
 */
export const SANCTION_ALLOWS: Readonly<Record<ActiveSanction['kind'], Readonly<Record<Intent, boolean>>>> = {
  silence: { read: true, write: false, 'sign-in': true, 'sign-out': true },
  suspend: { read: false, write: false, 'sign-in': false, 'sign-out': true },
  ban: { read: false, write: false, 'sign-in': false, 'sign-out': true },
};

/**
 * The refusal for this intent under the member's active sanction, or undefined when it is allowed. The message
 * gives the kind, the reason and the end, as the contract asks.
 */
export function sanctionRefusal(sanction: ActiveSanction | undefined, intent: Intent): DomainError | undefined {
  if (!sanction || SANCTION_ALLOWS[sanction.kind][intent]) return undefined;
  const until = sanction.until ? ` until ${sanction.until}` : '';
  switch (sanction.kind) {
    case 'ban':
      return forbidden(`Your account is banned: ${sanction.reason}`);
    case 'suspend':
      return forbidden(`Your account is suspended${until}: ${sanction.reason}`);
    case 'silence':
      return forbidden(`You are silenced${until}: ${sanction.reason}. You can still read.`);
  }
}

/** Signing in and refreshing: a ban or a suspension refuses them; silence does not. */
export function signInRefusal(sanction: ActiveSanction | undefined): DomainError | undefined {
  return sanctionRefusal(sanction, 'sign-in');
}
