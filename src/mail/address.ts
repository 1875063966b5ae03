import { createHmac } from 'node:crypto';

/** How an address is compared: trimmed and lower-cased (the local part is case-sensitive in theory, never in use). */
export function normaliseAddress(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * The one form in which Haven names an address outside the message itself (logs, suppressions, throttles, the
 * admin list in SMTP mode): an HMAC keyed with IP_HASH_SECRET, so a list of hashes cannot be matched against a
 * list of addresses without the secret.
 */
export function addressHash(secret: string, address: string): string {
  return createHmac('sha256', secret)
    .update(`mail:${normaliseAddress(address)}`)
    .digest('hex');
}
