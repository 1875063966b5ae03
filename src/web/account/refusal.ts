import type { FastifyReply } from 'fastify';
import { DomainError } from '../../common/errors/domain-error';
import { formProblem } from '../core/forms';
import { captchaMessage } from './captcha-forms';

/** Why a form was not accepted: the status to answer with, a sentence for a person, the field it is about. */
export interface Refusal {
  status: number;
  message: string;
  /** The form field the message is about (its input gets aria-invalid and points at the message). */
  field?: string;
}

/**
 * Turns a service's refusal into what the page shows above the form: 409 for a conflict (a taken name), 429 when
 * asked to slow down, else 422; the message starts with the field's name as a person reads it ("Display name must
 * be…" rather than "displayName must be…"). Anything that is not a refusal of the form's content is rethrown and
 * becomes an error page.
 */
export function refusal(
  err: unknown,
  labels: Record<string, string>,
  reply?: FastifyReply,
  captchaKind?: 'image' | 'pow',
): Refusal {
  const raw = formProblem(err);
  const code = err instanceof DomainError ? err.code : 'bad_input';
  const status = code === 'conflict' ? 409 : code === 'too_many_requests' ? 429 : 422;
  if (reply && err instanceof DomainError && err.retryAfterSeconds !== undefined) {
    void reply.header('Retry-After', String(err.retryAfterSeconds));
  }
  const captcha = captchaKind && captchaMessage(raw, captchaKind);
  if (captcha) return { status, message: captcha, field: 'captcha' };
  const name = /^[A-Za-z]+/.exec(raw)?.[0];
  if (name && labels[name] !== undefined) {
    return { status, message: `${labels[name]}${raw.slice(name.length)}`.trim(), field: name };
  }
  return { status, message: raw.charAt(0).toUpperCase() + raw.slice(1) };
}
