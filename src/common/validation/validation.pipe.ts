import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { badInput, InvalidInput } from '../errors/domain-error';
import { checkInput } from './input-rules';

/**
 * One pipe for every input: the input rules (no NUL, bounded nesting) on every body, query and param, whatever its
 * type; then, for a DTO, unknown fields are refused (400 naming them), values are transformed to the DTO's types,
 * and each message names its field (`captcha.id must be ...` for nested ones). Used as the API's global pipe and,
 * through validateDto, for socket payloads and web forms.
 */
export class HavenValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      forbidUnknownValues: true,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors: ValidationError[]) => new InvalidInput(errors.flatMap((e) => messagesOf(e))),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const where = metadata.type === 'custom' ? 'input' : metadata.type;
    checkInput(value, metadata.data ?? '', where, { nulls: !this.toValidate(metadata) });
    // A DTO's input is an object (a body left out counts as {}): JSON null, arrays and bare values are refused here.
    if (this.toValidate(metadata) && value !== undefined) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw badInput(metadata.data ?? where, 'must be an object');
      }
    }
    return super.transform(value, metadata);
  }
}

function messagesOf(error: ValidationError, parent = ''): string[] {
  const path = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((m) => (parent ? `${parent}.${m}` : m));
  const nested = (error.children ?? []).flatMap((child) => messagesOf(child, path));
  const all = [...own, ...nested];
  return all.length > 0 ? all : [`${path} is not valid`];
}

/** The API's global pipe (app.module.ts). */
export function validationPipe(): ValidationPipe {
  return new HavenValidationPipe();
}
