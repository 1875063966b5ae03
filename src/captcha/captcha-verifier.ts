import type { CaptchaAnswerDto } from './dto/captcha.dto';

/**
 * Proves a form was sent by a person. Haven's own implementation checks its image and proof-of-work challenges;
 * an outside provider (Turnstile, hCaptcha) would be another implementation bound to the same token.
 * Throws a 400 DomainError naming `captcha` when the proof is missing or wrong.
 */
export interface CaptchaVerifier {
  /** Resolves with when the challenge was issued (a form filled in too fast is a spam signal). */
  verify(answer: CaptchaAnswerDto | undefined): Promise<{ issuedAt: Date }>;
}

export const CAPTCHA_VERIFIER = Symbol('CAPTCHA_VERIFIER');
