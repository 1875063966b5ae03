import { randomInt } from 'node:crypto';

/**
 * Characters a captcha may use: uppercase letters and digits with the look-alikes removed
 * (no 0/O/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V, G/6), so a distorted glyph still has one reading.
 */
export const CAPTCHA_ALPHABET = 'ACDEFHJKMNPRTWXY34679';

/** A captcha answer of `length` characters, each drawn uniformly with a CSPRNG (the answer is the secret). */
export function randomCaptchaText(length: number): string {
  if (!Number.isInteger(length) || length < 1) {
    throw new RangeError(`captcha length must be a positive integer, got ${length}`);
  }
  let text = '';
  for (let i = 0; i < length; i++) {
    text += CAPTCHA_ALPHABET[randomInt(CAPTCHA_ALPHABET.length)];
  }
  return text;
}
