import { createHash, randomBytes } from 'node:crypto';

/**
 * The one way Haven makes a token that goes into a link (confirm an address, reset a password, confirm a
 * subscription, cancel a deletion): 32 random bytes, base64url, of which only the SHA-256 is stored. Whoever reads
 * the database cannot use a link; the link alone says nothing (no address, no id).
 */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** What is stored and looked up: hex SHA-256 of the token as given (a token is random, so no salt is needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token's shape, checked before any lookup (a 400 naming the field for anything else). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
