import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The journal's encryption at rest. Each member's key is derived from the server secret (JOURNAL_SECRET) with
 * HKDF-SHA256 and her member id as context, so one member's key opens nobody else's rows. Every write is sealed
 * with AES-256-GCM under a fresh random 96-bit IV; the tag is checked on every read. The associated data names
 * what the row is and whose (`entry`, her id, the date), so a row copied to another member, another day or
 * another table does not open.
 *
 * Sealed layout (one bytea): version (1 byte) | IV (12 bytes) | tag (16 bytes) | ciphertext.
 */
const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
const SALT = Buffer.from('haven-journal-v1');
/** Keys derived lately, kept so that a year of entries does not run HKDF 365 times; bounded. */
const KEY_CACHE_MAX = 1000;

/** What a sealed value is bound to: the kind of row, the member, and (for an entry) its date. */
export type JournalContext = { kind: 'entry'; userId: string; date: string } | { kind: 'settings'; userId: string };

/** The sealed value does not open with this key and context: tampered with, moved, or another secret. */
export class JournalDecryptError extends Error {
  constructor() {
    super('A journal row failed its integrity check');
    this.name = 'JournalDecryptError';
  }
}

export class JournalCrypto {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly secret: string) {
    if (secret.length < 32) throw new Error('JOURNAL_SECRET must be at least 32 characters');
  }

  seal(context: JournalContext, value: unknown): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyOf(context.userId), iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(context));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open<T>(context: JournalContext, sealed: Buffer): T {
    if (sealed.length < HEADER_BYTES || sealed[0] !== VERSION) throw new JournalDecryptError();
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, HEADER_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.keyOf(context.userId), iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(context));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as T;
    } catch {
      throw new JournalDecryptError();
    }
  }

  private keyOf(userId: string): Buffer {
    let key = this.keys.get(userId);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.secret, SALT, `haven-journal member ${userId}`, 32));
      if (this.keys.size >= KEY_CACHE_MAX) this.keys.delete(this.keys.keys().next().value as string);
      this.keys.set(userId, key);
    }
    return key;
  }
}

function associatedData(c: JournalContext): Buffer {
  return Buffer.from(
    c.kind === 'entry' ? `haven-journal|v1|entry|${c.userId}|${c.date}` : `haven-journal|v1|settings|${c.userId}`,
  );
}
