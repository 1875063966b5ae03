import { badInput, DomainError, type DomainErrorCode } from '../../common/errors/domain-error';
import { mapError } from '../../common/errors/error-mapping';
import { validateDto } from '../../common/validation/validate-dto';

type Form = Record<string, unknown>;

/** A text field of a posted form ('' when absent; the last value when sent twice). */
export function field(form: unknown, name: string): string {
  const value = (form as Form | undefined)?.[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last : '';
}

/** A checkbox of a posted form. */
export function checked(form: unknown, name: string): boolean {
  const value = field(form, name);
  return value === 'on' || value === 'true' || value === '1';
}

/** An optional field: undefined when left empty. */
export function optional(form: unknown, name: string): string | undefined {
  const value = field(form, name).trim();
  return value === '' ? undefined : value;
}

/**
 * The API's own DTO rules, applied to a form's values: the same class, the same validator (validateDto), the same
 * messages. Throws a 400 naming the problems, which the page shows above the form with what was typed kept.
 */
export function validated<T extends object>(cls: new () => T, values: Record<string, unknown>): Promise<T> {
  return validateDto(cls, values, 'form');
}

/** Why a form was not accepted: the status the page is answered with, and the service's message. */
export interface FormRefusal {
  status: number;
  message: string;
  /** When the service asked to slow down: the page's Retry-After. */
  retryAfterSeconds?: number;
}

const FORM_REFUSALS: readonly DomainErrorCode[] = ['bad_input', 'content_refused', 'conflict', 'too_many_requests'];

/**
 * A service's refusal of what a form sent, to show above the form with what was typed kept. The status is the
 * contract's (error-mapping.ts), except that bad input is 422: the form, not the request, was wrong. `also` lets a
 * page keep the form for more kinds (a thread locked meanwhile is `forbidden`). The service's Retry-After is kept
 * for the page (ViewOptions). Anything else is rethrown and becomes an error page.
 */
export function formRefusal(err: unknown, also: readonly DomainErrorCode[] = []): FormRefusal {
  if (!(err instanceof DomainError) || (!FORM_REFUSALS.includes(err.code) && !also.includes(err.code))) throw err;
  const status = err.code === 'bad_input' || err.code === 'content_refused' ? 422 : mapError(err).body.statusCode;
  return { status, message: err.message, retryAfterSeconds: err.retryAfterSeconds };
}

/** Only the message of a form refusal (see formRefusal); anything unexpected is rethrown. */
export function formProblem(err: unknown): string {
  return formRefusal(err).message;
}

export { badInput };
