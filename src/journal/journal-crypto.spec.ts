import { JournalCrypto, type JournalContext, JournalDecryptError } from './journal-crypto';

const SECRET = 'a-journal-secret-for-the-spec-0123456789';
const day: JournalContext = { kind: 'entry', userId: '7', date: '2026-03-14' };
const value = { symptoms: [{ name: 'fatigue', grade: 3 }], note: 'A hard morning' };

describe(JournalCrypto.name, () => {
  const crypto = new JournalCrypto(SECRET);

  it('opens what it sealed, and the sealed bytes hold no word of it', () => {
    const sealed = crypto.seal(day, value);
    expect(crypto.open(day, sealed)).toEqual(value);
    const text = sealed.toString('latin1');
    for (const word of ['fatigue', 'hard morning', 'grade', '"3"']) expect(text).not.toContain(word);
  });

  it('uses a fresh IV for every write: the same day sealed twice differs', () => {
    const a = crypto.seal(day, value);
    const b = crypto.seal(day, value);
    expect(a.subarray(1, 13).equals(b.subarray(1, 13))).toBe(false);
    expect(a.equals(b)).toBe(false);
  });

  it.each<[string, (b: Buffer) => Buffer]>([
    ['a flipped ciphertext byte', (b) => flip(b, b.length - 1)],
    ['a flipped tag byte', (b) => flip(b, 14)],
    ['a flipped IV byte', (b) => flip(b, 3)],
    ['an unknown version', (b) => flip(b, 0)],
    ['a truncated value', (b) => b.subarray(0, 20)],
    ['an extra byte', (b) => Buffer.concat([b, Buffer.from([0])])],
  ])('refuses %s', (_what, tamper) => {
    expect(() => crypto.open(day, tamper(crypto.seal(day, value)))).toThrow(JournalDecryptError);
  });

  it.each<[string, JournalContext]>([
    ['another member', { kind: 'entry', userId: '8', date: '2026-03-14' }],
    ['another date', { kind: 'entry', userId: '7', date: '2026-03-15' }],
    ['another kind of row', { kind: 'settings', userId: '7' }],
  ])('refuses a row moved to %s', (_what, elsewhere) => {
    expect(() => crypto.open(elsewhere, crypto.seal(day, value))).toThrow(JournalDecryptError);
  });

  it('refuses under another server secret', () => {
    const other = new JournalCrypto('another-journal-secret-0123456789abcdef');
    expect(() => other.open(day, crypto.seal(day, value))).toThrow(JournalDecryptError);
  });

  it('refuses a short secret', () => {
    expect(() => new JournalCrypto('short')).toThrow('at least 32 characters');
  });
});

function flip(b: Buffer, at: number): Buffer {
  const copy = Buffer.from(b);
  copy[at] ^= 0x01;
  return copy;
}
