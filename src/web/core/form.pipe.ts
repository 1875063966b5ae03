import { Body, type PipeTransform } from '@nestjs/common';
import type { DomainErrorCode } from '../../common/errors/domain-error';
import { validateDto } from '../../common/validation/validate-dto';
import { field, type FormRefusal, formRefusal, inWords } from './forms';
import type { PageResult } from './page-result';

/** How a posted form becomes the API's DTO. */
export interface FormSpec<F, T extends object> {
  /** The API's DTO: the same class, validated by the same validateDto as the API (with its messages). */
  dto: new () => T;
  /** What was typed, as the page shows it again after a refusal (never a password). */
  typed: (body: unknown) => F;
  /** The DTO's values from the form (by default the typed values as they are). */
  values?: (typed: F, body: unknown) => Record<string, unknown>;
  /** The fields' labels as the form shows them, for the messages ("Display name must…"); see inWords. */
  labels?: Record<string, string>;
}

/** A posted form, read and validated: what was typed, and either the DTO's input or why it was refused (422). */
export interface Submitted<F, T> {
  typed: F;
  /** The button pressed (`intent`: preview, new-picture…), '' for the form's own. */
  intent: string;
  /** The form as posted, for its other fields (a cursor, where to go back to). */
  body: unknown;
  input?: T;
  refusal?: FormRefusal;
  /** The form's labels (FormSpec), for the service's refusals too. */
  labels?: Record<string, string>;
}

/** The pipe behind `@Form()`: a refusal of the input is kept for the page to show, never thrown. */
export class FormPipe<F, T extends object> implements PipeTransform<unknown, Promise<Submitted<F, T>>> {
  constructor(private readonly spec: FormSpec<F, T>) {}

  async transform(body: unknown): Promise<Submitted<F, T>> {
    const typed = this.spec.typed(body);
    const submitted: Submitted<F, T> = { typed, intent: field(body, 'intent'), body, labels: this.spec.labels };
    const values = this.spec.values ? this.spec.values(typed, body) : { ...typed };
    try {
      submitted.input = await validateDto(this.spec.dto, values, 'form');
    } catch (err) {
      submitted.refusal = inWords(formRefusal(err), this.spec.labels);
    }
    return submitted;
  }
}

/**
 * A page's urlencoded form, validated through the API's DTO and validator: `@Form(REPLY_FORM) form:
 * Submitted<Composer, CreatePostDto>`. The handler then hands it to `submit()`.
 */
export const Form = <F, T extends object>(spec: FormSpec<F, T>): ParameterDecorator => Body(new FormPipe(spec));

/**
 * A form's one service call: with the valid input, `act` (which redirects, usually); a refusal, the form's own or
 * the service's (a taken name, a locked thread when `also` says so), goes to `again`, which shows the form again
 * with what was typed and every problem (the error summary), in the refusal's status.
 */
export async function submit<F, T>(
  form: Submitted<F, T>,
  act: (input: T) => Promise<PageResult>,
  again: (refusal: FormRefusal) => PageResult | Promise<PageResult>,
  also: readonly DomainErrorCode[] = [],
): Promise<PageResult> {
  if (form.refusal) return again(form.refusal);
  let result: PageResult;
  try {
    result = await act(form.input as T);
  } catch (err) {
    return again(inWords(formRefusal(err, also), form.labels));
  }
  return result;
}
