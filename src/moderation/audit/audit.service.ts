import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { decodeCursor, type Page, type PageQueryDto, pageLimit, toPage } from '../../common/pagination';

/** What an entry is about, as it was when it was recorded: flat, short values (`{pattern, action}`, `{kind,
 *  reason, until}`, `{excerpt}`), shown as they are on the audit page. */
export type AuditDetails = Record<string, string | number | boolean | null>;

export interface AuditRecord {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  note?: string | null;
  details?: AuditDetails | null;
}

export interface AuditView {
  id: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  note: string | null;
  details: AuditDetails | null;
  createdAt: string;
}

/**
 * Writes and reads the append-only audit log. Nothing updates or deletes an entry, with one exception the database
 * itself checks: when a member's account is deleted, the entries that name her keep a pseudonym instead.
 */
@Injectable()
export class AuditService {
  constructor(private readonly db: DataSource) {}

  /** Inside the caller's transaction when given one, so the action and its record stand or fall together. */
  async record(entry: AuditRecord, m: EntityManager = this.db.manager): Promise<void> {
    await m.query(
      `INSERT INTO audit_log (actor_id, actor_label, action, target_type, target_id, note, details)
       VALUES ($1, coalesce((SELECT username FROM users WHERE id = $1), 'cli'), $2, $3, $4, $5, $6::jsonb)`,
      [
        entry.actorId,
        entry.action,
        entry.targetType,
        entry.targetId,
        entry.note ?? null,
        entry.details ? JSON.stringify(entry.details) : null,
      ],
    );
  }

  /**
   * A deleted member's entries: her name as actor or target becomes `pseudonym`, and her id goes. The trigger that
   * keeps the log append-only lets exactly this through, and only in a transaction that says so.
   */
  async pseudonymise(m: EntityManager, who: { userId: string; username: string; pseudonym: string }): Promise<void> {
    await m.query(`SELECT set_config('haven.audit_forget', 'on', true)`);
    await m.query(`UPDATE audit_log SET actor_id = NULL, actor_label = $2 WHERE actor_id = $1`, [
      who.userId,
      who.pseudonym,
    ]);
    await m.query(`UPDATE audit_log SET target_id = $2 WHERE target_type = 'user' AND target_id IN ($1, $3)`, [
      who.username,
      who.pseudonym,
      who.userId,
    ]);
    await m.query(`SELECT set_config('haven.audit_forget', 'off', true)`);
  }

  async list(query: PageQueryDto): Promise<Page<AuditView>> {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, 'i');
    const rows = (await this.db.query(
      `SELECT id, actor_label AS actor, action, target_type AS "targetType", target_id AS "targetId", note,
              details, created_at AS "createdAt"
         FROM audit_log WHERE ($1::bigint IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
      [after?.[0] ?? null, limit + 1],
    )) as Array<Omit<AuditView, 'createdAt'> & { createdAt: Date }>;
    return toPage(
      rows,
      limit,
      (r) => ({ ...r, createdAt: r.createdAt.toISOString() }),
      (r) => [r.id],
    );
  }
}
