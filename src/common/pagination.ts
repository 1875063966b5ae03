import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { badInput } from './errors/domain-error';

/** `?limit=` (default 20, max 100) and `?cursor=` on every list. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 100' })
  @Min(1, { message: 'limit must be a whole number from 1 to 100' })
  @Max(100, { message: 'limit must be a whole number from 1 to 100' })
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Keyset cursors: the sort key of the last item of a page, opaque to clients (base64url JSON). A page never
 * repeats or skips an item because others were added meanwhile, and deep pages cost what the first one does.
 */
export function encodeCursor(key: readonly (string | number | boolean)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

const BIGINT_MAX = 9223372036854775807n;
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** A whole number written in decimal, within [min, max] (as bigints: ids and microseconds exceed 2^53). */
function integerText(p: unknown, min: bigint, max: bigint): boolean {
  if (typeof p !== 'string' || !/^-?\d{1,19}$/.test(p)) return false;
  const n = BigInt(p);
  return n >= min && n <= max;
}

/**
 * What each letter of a cursor's shape accepts, so that a forged cursor is a 400 naming `cursor`, never a value the
 * database refuses (a 500): 'i' an id (bigint 1..9223372036854775807, as a string), 'u' microseconds since the
 * epoch (a bigint, as a string), 'n' a 32-bit integer, 'r' a real number as text, 'b' a boolean, 's' a short
 * string without control characters.
 */
const PART: Record<string, (p: unknown) => boolean> = {
  i: (p) => integerText(p, 1n, BIGINT_MAX),
  u: (p) => integerText(p, -BIGINT_MAX, BIGINT_MAX),
  n: (p) => typeof p === 'number' && Number.isInteger(p) && p >= INT_MIN && p <= INT_MAX,
  r: (p) => typeof p === 'string' && /^-?\d{1,20}(\.\d{1,20})?(e[+-]?\d{1,2})?$/i.test(p) && Number.isFinite(Number(p)),
  b: (p) => typeof p === 'boolean',
  // eslint-disable-next-line no-control-regex
  s: (p) => typeof p === 'string' && p.length <= 100 && !/[\u0000-\u001f\u007f]/.test(p),
};

/** Decodes a cursor whose parts must match `shape`, one letter a part (see PART). */
export function decodeCursor(cursor: string | undefined, shape: string): Array<string | number | boolean> | undefined {
  if (cursor === undefined) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput('cursor', 'is not a cursor this list gave out');
  }
  const ok =
    Array.isArray(parts) && parts.length === shape.length && parts.every((p, i) => PART[shape[i]]?.(p) === true);
  if (!ok) throw badInput('cursor', 'is not a cursor this list gave out');
  return parts as Array<string | number | boolean>;
}

/** Fetch `limit + 1` rows; this trims the extra one and makes the cursor from the last item kept. */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
  keyOf: (row: R) => readonly (string | number | boolean)[],
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(view), nextCursor: more ? encodeCursor(keyOf(kept[kept.length - 1])) : null };
}

export const pageLimit = (q: PageQueryDto) => q.limit ?? 20;
