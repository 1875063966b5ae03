import { type FormRefusal, formRefusal } from '../core/forms';
import { captchaMessage } from './captcha-forms';

/** Why a form was not accepted: the status to answer with, a sentence for a person, the field it is about. */
export interface Refusal {
  status: number;
  message: string;
  /** When the service asked to slow down: the page's Retry-After. */
  retryAfterSeconds?: number;
  /** The form field the message is about (its input gets aria-invalid and points at the message). */
  field?: string;
}

/**
 * Turns a service's refusal into what the page shows above the form: 409 for a conflict (a taken name), 429 when
 * asked to slow down, else 422; the message starts with the field's name as a person reads it ("Display name must
 * be…" rather than "displayName must be…"). Anything that is not a refusal of the form's content is rethrown and
 * becomes an error page.
 */
export function refusal(err: unknown, labels: Record<string, string>, captchaKind?: 'image' | 'pow'): Refusal {
  return labelled(formRefusal(err), labels, captchaKind);
}

/** A refusal already taken (a form's, from `@Form()`, or `submit()`'s), in the words of the form (see refusal). */
export function labelled(refused: FormRefusal, labels: Record<string, string>, captchaKind?: 'image' | 'pow'): Refusal {
  const { status, message: raw, retryAfterSeconds } = refused;
  const captcha = captchaKind && captchaMessage(raw, captchaKind);
  if (captcha) return { status, message: captcha, field: 'captcha', retryAfterSeconds };
  const name = /^[A-Za-z]+/.exec(raw)?.[0];
  if (name && labels[name] !== undefined) {
    return { status, message: `${labels[name]}${raw.slice(name.length)}`.trim(), field: name, retryAfterSeconds };
  }
  return { status, message: raw.charAt(0).toUpperCase() + raw.slice(1), retryAfterSeconds };
}
