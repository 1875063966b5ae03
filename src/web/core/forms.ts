import { badInput, DomainError, type DomainErrorCode, InvalidInput } from '../../common/errors/domain-error';
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

/**
 * validated(), with the page's own checks of the same form (`also`: messages that start with their field's name,
 * as badInput's, e.g. "acceptGuidelines must be ticked"), so that a refusal lists every problem at once. A page's
 * message about a field replaces the DTO's; `order` (the form's fields, top to bottom) orders the problems as the
 * form shows its fields.
 */
export async function validatedAll<T extends object>(
  cls: new () => T,
  values: Record<string, unknown>,
  also: readonly string[],
  order: readonly string[] = [],
): Promise<T> {
  let input: T | undefined;
  let problems: string[] = [];
  try {
    input = await validateDto(cls, values, 'form');
  } catch (err) {
    if (!(err instanceof InvalidInput)) throw err;
    problems = err.problems;
  }
  const own = new Set(also.map((p) => aboutField(p).field));
  const all = [...problems.filter((p) => !own.has(aboutField(p).field)), ...also];
  if (all.length === 0) return input as T;
  const rank = (p: string) => {
    const at = order.indexOf(aboutField(p).field ?? '');
    return at < 0 ? order.length : at;
  };
  throw new InvalidInput([...all].sort((a, b) => rank(a) - rank(b)));
}

/** One problem of a refused form: the message a person reads and, when it is about one field, that field. */
export interface FieldProblem {
  /** The DTO field (the form field's name), when the problem is about one field; its input gets the message. */
  field?: string;
  message: string;
  /** The message as the service or validator gave it, before inWords named the field as the page does. */
  raw?: string;
}

/**
 * Why a form was not accepted: the status the page is answered with, the service's message, and every problem
 * (views/account/form-problem.eta lists them in the error summary at the top of the form, each linked to its field).
 */
export interface FormRefusal {
  status: number;
  message: string;
  /** When the service asked to slow down: the page's Retry-After. */
  retryAfterSeconds?: number;
  /**
   * Every problem at once, one a field (validation stops at a field's first problem). A refusal made without them
   * (`{status, message}`) is one problem: see problemsOf.
   */
  problems?: FieldProblem[];
  /** The field of the first problem, when it names one (kept for the forms that look at one field). */
  field?: string;
}

const FORM_REFUSALS: readonly DomainErrorCode[] = ['bad_input', 'content_refused', 'conflict', 'too_many_requests'];

/**
 * A service's refusal of what a form sent, to show above the form with what was typed kept. The status is the
 * contract's (error-mapping.ts), except that bad input is 422: the form, not the request, was wrong. `also` lets a
 * page keep the form for more kinds (a thread locked meanwhile is `forbidden`). The service's Retry-After is kept
 * for the page (ViewOptions). Every problem of a validation is kept, each with its field (the validator's and
 * badInput's messages start with the field's name); other refusals are one problem. Anything else is rethrown and
 * becomes an error page.
 */
export function formRefusal(err: unknown, also: readonly DomainErrorCode[] = []): FormRefusal {
  if (!(err instanceof DomainError) || (!FORM_REFUSALS.includes(err.code) && !also.includes(err.code))) throw err;
  const status = err.code === 'bad_input' || err.code === 'content_refused' ? 422 : mapError(err).body.statusCode;
  const raw = err instanceof InvalidInput && err.problems.length > 0 ? err.problems : [err.message];
  const problems = raw.map((message) => (err.code === 'bad_input' ? aboutField(message) : { message, raw: message }));
  return {
    status,
    message: err.message,
    retryAfterSeconds: err.retryAfterSeconds,
    problems,
    field: problems[0]?.field,
  };
}

/** `displayName must be 0-64 characters` → the field displayName, the message as it is. */
function aboutField(message: string): FieldProblem {
  const name = /^([A-Za-z][A-Za-z0-9]*)(?=[\s.[])/.exec(message)?.[1];
  return name ? { field: name, message, raw: message } : { message, raw: message };
}

/**
 * A refusal in the words of the form: each message about a field starts with the field's label as the page shows it
 * ("Display name must be…" rather than "displayName must be…"; a field without a label in `labels` is named in
 * words: "display name"). `labels[field] === ''` drops the name (the message is a sentence of its own).
 */
export function inWords(refused: FormRefusal, labels: Record<string, string> = {}): FormRefusal {
  const problems = problemsOf(refused).map(({ field: known, message: shown, raw }) => {
    const message = raw ?? shown;
    // Another refusal that starts with a field the form labels ("password is not…") is about that field too.
    const named = aboutField(message).field;
    const name = known ?? (named !== undefined && labelOf(labels, named) !== undefined ? named : undefined);
    if (!name || !message.startsWith(name)) return { field: name, message: sentence(message), raw: message };
    const label = labelOf(labels, name) ?? spaced(name);
    const rest = laterFields(message.slice(name.length), labels);
    return { field: name, message: sentence(`${label}${rest}`.trim()), raw: message };
  });
  const message = problems.length > 0 ? joined(problems) : refused.message;
  return { ...refused, problems, message, field: problems[0]?.field };
}

/** Only the message of a form refusal (see formRefusal); anything unexpected is rethrown. */
export function formProblem(err: unknown): string {
  return formRefusal(err).message;
}

/** A refusal's problems: its list, or its one message (about its field, if it names one). */
export function problemsOf(refused: FormRefusal): FieldProblem[] {
  return refused.problems ?? [{ field: refused.field, message: refused.message }];
}

/** A refusal made by a page itself (not a service's): one problem, about `field` when given. */
export function pageRefusal(message: string, fieldName?: string, status = 422): FormRefusal {
  return { status, message, problems: [{ field: fieldName, message }], field: fieldName };
}

/** Other labelled camelCase fields named later in a message ("startsAt and endsAt are…"), in the form's words. */
const laterFields = (text: string, labels: Record<string, string>) =>
  text.replace(/\b[a-z]+[A-Z][A-Za-z]*\b/g, (word) => {
    const label = labelOf(labels, word);
    return label ? label.charAt(0).toLowerCase() + label.slice(1) : word;
  });
/** A field's own label (never one of Object's properties: a field may be called `constructor`). */
const labelOf = (labels: Record<string, string>, name: string): string | undefined =>
  Object.hasOwn(labels, name) && typeof labels[name] === 'string' ? labels[name] : undefined;
const spaced = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
/** Every problem in one line (for the few places that show one line: the chat, a flash). */
export const joined = (problems: FieldProblem[]) =>
  problems.length === 1 ? problems[0].message : problems.map((p) => p.message.replace(/\.$/, '')).join('. ') + '.';

export { badInput };
