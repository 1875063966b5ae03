import type { ClassConstructor } from 'class-transformer';
import { badInput } from '../errors/domain-error';
import { HavenValidationPipe } from './validation.pipe';

const pipe = new HavenValidationPipe();

/**
 * The one validator of Haven's inputs outside the HTTP pipe: socket payloads and web forms go through the very pipe
 * the API uses (input rules, whitelist, transform, messages naming each field). `where` names the input when it is
 * not an object at all ('payload must be an object'). Throws InvalidInput (400).
 */
export async function validateDto<T extends object>(
  dto: ClassConstructor<T>,
  value: unknown,
  where = 'body',
): Promise<T> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badInput(where, 'must be an object');
  return (await pipe.transform(value, { type: 'body', metatype: dto, data: undefined })) as T;
}
