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

/** Decodes a cursor whose parts must match `shape` ('s' string, 'n' number, 'b' boolean, 'i' integer string). */
export function decodeCursor(cursor: string | undefined, shape: string): Array<string | number | boolean> | undefined {
  if (cursor === undefined) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput('cursor', 'is not a cursor this list gave out');
  }
  const ok =
    Array.isArray(parts) &&
    parts.length === shape.length &&
    parts.every((p, i) => {
      switch (shape[i]) {
        case 's':
          return typeof p === 'string' && p.length <= 100;
        case 'n':
          return typeof p === 'number' && Number.isFinite(p);
        case 'b':
          return typeof p === 'boolean';
        case 'i':
          return typeof p === 'string' && /^\d{1,19}$/.test(p);
        default:
          return false;
      }
    });
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
