import { badInput } from '../errors/domain-error';

/** Deeper than any DTO of Haven's; a 20,000-deep JSON body is refused here before anything recurses into it. */
export const MAX_INPUT_DEPTH = 32;

/**
 * The rules every input obeys whatever its DTO: no NUL character in any string or key (PostgreSQL refuses NUL in
 * text, which would be a 500), no `__proto__` key, and no nesting deeper than MAX_INPUT_DEPTH. `name` is the field
 * the value came in as ('' for a whole body, whose fields are then named alone); `where` names the whole input.
 * With `nulls: false` (a DTO's input) a null field is refused too: no field of Haven's takes null, and a null that
 * passed an optional field's check would reach the database as a value.
 */
export function checkInput(value: unknown, name = '', where = 'body', options: { nulls?: boolean } = {}): void {
  walk(value, name, where, 0, options.nulls !== false);
}

function walk(value: unknown, path: string, where: string, depth: number, nulls: boolean): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw badInput(path || where, 'must not contain NUL characters');
    return;
  }
  if (value === null && !nulls && path) throw badInput(path, 'must not be null (leave it out instead)');
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_INPUT_DEPTH)
    throw badInput(path || where, `is nested too deeply (at most ${MAX_INPUT_DEPTH} levels)`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i], `${path || where}[${i}]`, where, depth + 1, nulls);
    return;
  }
  for (const key of Object.keys(value)) {
    if (key.includes('\u0000') || key === '__proto__')
      throw badInput(path || where, `has a field name that is not allowed`);
    walk((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, where, depth + 1, nulls);
  }
}
