import { Injectable } from '@nestjs/common';
import { CaptchaService } from '../../captcha/captcha.service';
import type { CaptchaAnswerDto } from '../../captcha/dto/captcha.dto';
import { DomainError } from '../../common/errors/domain-error';
import { field } from '../core/forms';

/** What the captcha partial (views/account/captcha.eta) shows: a picture to read, or why there is none. */
export interface CaptchaView {
  id?: string;
  image?: string;
  width?: number;
  height?: number;
  unavailable?: string;
}

/** Where the captcha island fetches proof-of-work puzzles (the API's own route; the ALTCHA widget reads it). */
export const POW_CHALLENGE_URL = '/api/captcha?kind=pow';

/**
 * The captcha on a form, for sign-up and guest comments alike. Without JavaScript the page carries an image
 * challenge (a PNG in a data: URL, so nothing of it is fetched twice) and a text field for its characters; with
 * JavaScript the captcha island offers the proof-of-work kind through the ALTCHA widget, which posts `altcha`
 * (its base64 payload) with `captchaKind=pow`. Either way the answer goes to the API's own verifier, unchanged.
 */
@Injectable()
export class CaptchaForms {
  constructor(private readonly captcha: CaptchaService) {}

  /** A fresh image challenge for the form (the old one, used or not, is left to expire). */
  async fresh(ip: string): Promise<CaptchaView> {
    try {
      const c = await this.captcha.issue('image', ip);
      if (c.kind !== 'image') return { unavailable: 'The picture could not be made. Please reload the page.' };
      return { id: c.id, image: c.image, width: c.width, height: c.height };
    } catch (err) {
      if (err instanceof DomainError && err.code === 'too_many_requests') {
        return {
          unavailable:
            'Many pictures were asked for from your connection in a short time. Please wait a minute, then choose “Show a different picture”.',
        };
      }
      throw err;
    }
  }

  /** The answer in the shape the API expects: `{payload}` from the widget, `{id, answer}` for the picture. */
  answer(form: unknown): CaptchaAnswerDto | undefined {
    return captchaAnswer(form);
  }

  /** The kind the visitor used, so a refusal can speak of the picture or of the automatic check. */
  kind(form: unknown): 'image' | 'pow' {
    return field(form, 'captchaKind') === 'pow' ? 'pow' : 'image';
  }
}

/** A form's captcha answer in the shape the API expects (see CaptchaForms.answer), for form specs. */
export function captchaAnswer(form: unknown): CaptchaAnswerDto | undefined {
  if (field(form, 'captchaKind') === 'pow') {
    const payload = field(form, 'altcha');
    return payload ? { payload } : undefined;
  }
  const id = field(form, 'captchaId');
  const answer = field(form, 'captchaAnswer').trim();
  return id && answer ? { id, answer } : undefined;
}

/** The visitor asked for a different picture (the form is shown again with what they typed, not sent). */
export function wantsNewPicture(form: unknown): boolean {
  return field(form, 'intent') === 'new-picture';
}

/**
 * The API's captcha messages speak to programs ("fetch a new one from GET /api/captcha"); a person reads this.
 * Returns undefined for a message about anything else.
 */
export function captchaMessage(message: string, kind: 'image' | 'pow'): string | undefined {
  if (!/^captcha\b/.test(message)) return undefined;
  const missing = /is required|needs an answer/.test(message);
  if (kind === 'pow') {
    return missing
      ? 'Please tick “I’m not a robot” and wait for the check to finish, or type the characters from a picture instead.'
      : 'The automatic check did not go through or had expired. Please tick the box again.';
  }
  return missing
    ? 'Please type the characters from the picture, so we know a person is writing.'
    : 'The characters did not match the picture, or it had expired. Here is a new picture to try.';
}
