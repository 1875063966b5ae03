import { ValidationPipe, type ValidationPipeOptions } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { badInput, InvalidInput } from '../errors/domain-error';
import { checkInput } from './input-rules';

/** How every DTO is checked: unknown fields refused, values transformed to the DTO's types, no implicit coercion. */
export const VALIDATION_OPTIONS: ValidationPipeOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: false },
  exceptionFactory: (errors: ValidationError[]) => new InvalidInput(errors.flatMap((e) => messagesOf(e))),
};

/** Nest's class-validator machinery (it strips prototype keys and copes with binary values), with our options. */
const engine = new ValidationPipe(VALIDATION_OPTIONS);

/**
 * The one validator of Haven's inputs: API bodies and queries (the global pipe calls it), socket payloads and web
 * forms. The input rules first (an object, no NUL, no null field, bounded nesting: input-rules.ts), then the DTO's
 * own. Throws InvalidInput (400) naming each bad field; `where` names the input itself ('payload must be an
 * object').
 */
export async function validateDto<T extends object>(
  dto: ClassConstructor<T>,
  value: unknown,
  where = 'body',
): Promise<T> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badInput(where, 'must be an object');
  checkInput(value, '', where, { nulls: false });
  return (await engine.transform(value, { type: 'body', metatype: dto, data: undefined })) as T;
}

/** One message a bad field, nested ones named by their path (`captcha.id must be ...`), as Nest's pipe does. */
function messagesOf(error: ValidationError, parent = ''): string[] {
  const path = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((m) => (parent ? `${parent}.${m}` : m));
  const nested = (error.children ?? []).flatMap((child) => messagesOf(child, path));
  const all = [...own, ...nested];
  return all.length > 0 ? all : [`${path} is not valid`];
}
