import { DomainError, forbidden } from '../errors/domain-error';
import type { ActiveSanction } from './principal';

/**
 * What an active sanction forbids, in one place: a ban or a suspension refuses every request with the member's
 * token; silence refuses writing (anything but reading, and signing out). The message gives the kind, the reason
 * and the end, as the contract asks.
 */
export function sanctionRefusal(
  sanction: ActiveSanction | undefined,
  method: string,
  path: string,
): DomainError | undefined {
  if (!sanction) return undefined;
  const until = sanction.until ? ` until ${sanction.until}` : '';
  switch (sanction.kind) {
    case 'ban':
      return forbidden(`Your account is banned: ${sanction.reason}`);
    case 'suspend':
      return forbidden(`Your account is suspended${until}: ${sanction.reason}`);
    case 'silence': {
      // The chat page's socket token is for reading (live updates); the socket itself refuses a silenced member's sends.
      const reading = method === 'GET' || method === 'HEAD' || path === '/chat/socket-token';
      // Signing out is always allowed: through the API, or the web pages' sign-out form.
      const signingOut = path.startsWith('/api/auth/logout') || path === '/signout';
      return reading || signingOut
        ? undefined
        : forbidden(`You are silenced${until}: ${sanction.reason}. You can still read.`);
    }
  }
}

/** Signing in and refreshing: a ban or a suspension refuses them; silence does not. */
export function signInRefusal(sanction: ActiveSanction | undefined): DomainError | undefined {
  return sanction && sanction.kind !== 'silence' ? sanctionRefusal(sanction, 'POST', '/api/auth/login') : undefined;
}
