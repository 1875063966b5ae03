import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { badInput, DomainError } from '../../common/errors/domain-error';

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
 * The API's own DTO rules, applied to a form's values: the same class, the same messages. Throws a 400 naming the
 * first problem, which the page shows above the form with what was typed kept.
 */
export async function validated<T extends object>(cls: new () => T, values: Record<string, unknown>): Promise<T> {
  const instance = plainToInstance(cls, values);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
  if (errors.length > 0) {
    const first = firstMessage(errors);
    throw new DomainError('bad_input', first ?? 'Please check the form');
  }
  return instance;
}

function firstMessage(errors: Awaited<ReturnType<typeof validate>>): string | undefined {
  for (const error of errors) {
    const message = Object.values(error.constraints ?? {})[0];
    if (message) return message;
    const nested = firstMessage(error.children ?? []);
    if (nested) return nested;
  }
  return undefined;
}

/** The message to show above a form when the service refused its content; anything unexpected is rethrown. */
export function formProblem(err: unknown): string {
  if (
    err instanceof DomainError &&
    ['bad_input', 'content_refused', 'conflict', 'too_many_requests'].includes(err.code)
  ) {
    return err.message;
  }
  throw err;
}

export { badInput };
