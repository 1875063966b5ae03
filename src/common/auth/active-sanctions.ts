import { Injectable } from '@nestjs/common';
import type { ActiveSanction } from './principal';

/**
 * How another feature's query reads a member's active sanction. Moderation owns the `sanctions` table and registers
 * the one reader at start-up; auth (the per-request session lookup) and chat (a member's standing in a room) compose
 * it into their own single query, so the lookup stays one round trip and the SQL stays in moderation.
 */
export interface ActiveSanctionReader {
  /**
   * A `LEFT JOIN LATERAL (...) <alias> ON true` on the member whose id is `userIdColumn` (e.g. `u.id`): their most
   * severe active sanction, or a row of nulls.
   */
  lateralJoin(userIdColumn: string, alias: string): string;
  /** The select list for that join: `"sanctionKind"`, `"sanctionReason"`, `"sanctionUntil"`. */
  columns(alias: string): string;
}

/** What `columns()` selects, turned into the principal's sanction by `toActiveSanction`. */
export interface SanctionColumns {
  sanctionKind: ActiveSanction['kind'] | null;
  sanctionReason: string | null;
  sanctionUntil: Date | null;
}

export function toActiveSanction(c: SanctionColumns | undefined): ActiveSanction | undefined {
  if (!c?.sanctionKind) return undefined;
  return { kind: c.sanctionKind, reason: c.sanctionReason ?? '', until: c.sanctionUntil?.toISOString() ?? null };
}

/** Holds the reader moderation registers (as the publishing gate holds its review sink). */
@Injectable()
export class ActiveSanctions {
  private reader?: ActiveSanctionReader;

  register(reader: ActiveSanctionReader): void {
    this.reader = reader;
  }

  /** The join and its columns for the member `userIdColumn`; refuses to answer "no sanction" when nobody can tell. */
  sql(userIdColumn: string, alias = 'active'): { join: string; columns: string } {
    if (!this.reader) throw new Error('No active-sanction reader is registered (the moderation module registers it)');
    return { join: this.reader.lateralJoin(userIdColumn, alias), columns: this.reader.columns(alias) };
  }
}
