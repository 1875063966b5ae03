import { createHmac } from 'node:crypto';

/**
 * The one way Haven keeps an IP address it must recognise again (comments' spam checks, sign-in brakes, request
 * budgets): an HMAC keyed with IP_HASH_SECRET. A plain hash of an IPv4 address is reversed by hashing all 2^32 of
 * them; without the secret this one cannot be.
 */
export function keyedIpHash(secret: string, ip: string): string {
  return createHmac('sha256', secret).update(ip).digest('base64url').slice(0, 43);
}
