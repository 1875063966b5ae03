import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import { checkInput } from './input-rules';
import { validateDto, VALIDATION_OPTIONS } from './validate-dto';

/**
 * The API's one pipe for every input. A DTO (body, query, params) goes through validateDto, the validator that
 * socket payloads and web forms use too: unknown fields refused (400 naming them), values transformed to the DTO's
 * types, each message naming its field. Anything else (`@Query('cursor') cursor: string`, a page's raw form) still
 * meets the input rules (no NUL, bounded nesting) before Nest's own handling of plain values.
 */
export class HavenValidationPipe extends ValidationPipe {
  constructor() {
    super(VALIDATION_OPTIONS);
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const where = metadata.data ?? metadata.type;
    if (this.toValidate(metadata) && metadata.metatype) {
      // A body left out counts as an empty one, so that its required fields are named.
      return validateDto(metadata.metatype as ClassConstructor<object>, value === undefined ? {} : value, where);
    }
    // A custom decorator's value (the signed-in member) is the server's own, not input.
    if (metadata.type !== 'custom') checkInput(value, metadata.data ?? '', where);
    return super.transform(value, metadata);
  }
}

/** The API's global pipe (app.module.ts). */
export function validationPipe(): ValidationPipe {
  return new HavenValidationPipe();
}
