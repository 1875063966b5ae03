import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface SealedDay {
  day: string;
  payload: Buffer;
  updatedAt: Date;
}

export interface ShareRow {
  id: string;
  userId: string;
  from: string;
  to: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface ShareViewRow {
  shareId: string;
  viewedAt: Date;
  browser: string;
  device: string;
}

/** `e.` everywhere: ORDER BY e.day sorts by the date column (and its index), not by the text it is given out as. */
const DAY_COLUMNS = `e.day::text AS day, e.payload, e.updated_at AS "updatedAt"`;
const SHARE_COLUMNS = `id::text AS id, user_id::text AS "userId", from_day::text AS "from", to_day::text AS "to",
  created_at AS "createdAt", expires_at AS "expiresAt", revoked_at AS "revokedAt"`;

/**
 * The journal's data layer: every statement on journal_entries, journal_settings, journal_shares and
 * journal_share_views. Rows go in and out sealed; opening them is the service's business.
 */
@Injectable()
export class JournalStore {
  constructor(private readonly db: DataSource) {}

  /** Her days from `from` to `to` (inclusive), newest first. */
  async days(userId: string, from: string, to: string): Promise<SealedDay[]> {
    return (await this.db.query(
      `SELECT ${DAY_COLUMNS} FROM journal_entries e WHERE e.user_id = $1 AND e.day BETWEEN $2 AND $3 ORDER BY e.day DESC`,
      [userId, from, to],
    )) as SealedDay[];
  }

  async day(userId: string, day: string): Promise<SealedDay | undefined> {
    const rows = (await this.db.query(
      `SELECT ${DAY_COLUMNS} FROM journal_entries e WHERE e.user_id = $1 AND e.day = $2`,
      [userId, day],
    )) as SealedDay[];
    return rows[0];
  }

  /** Her days before `day`, newest first, at most `limit` (for looking back to her last appointment). */
  async daysBefore(userId: string, day: string, limit: number): Promise<SealedDay[]> {
    return (await this.db.query(
      `SELECT ${DAY_COLUMNS} FROM journal_entries e WHERE e.user_id = $1 AND e.day < $2 ORDER BY e.day DESC LIMIT $3`,
      [userId, day, limit],
    )) as SealedDay[];
  }

  /** Her days after `after` (null: from the first), oldest first: the export's keyset. */
  async daysAfter(userId: string, after: string | null, limit: number): Promise<SealedDay[]> {
    return (await this.db.query(
      `SELECT ${DAY_COLUMNS} FROM journal_entries e
        WHERE e.user_id = $1 AND ($2::date IS NULL OR e.day > $2::date) ORDER BY e.day LIMIT $3`,
      [userId, after, limit],
    )) as SealedDay[];
  }

  /** Writes the day; true when it was new. */
  async putDay(userId: string, day: string, payload: Buffer, at: Date): Promise<boolean> {
    const rows = (await this.db.query(
      `INSERT INTO journal_entries (user_id, day, payload, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, day) DO UPDATE SET payload = EXCLUDED.payload, updated_at = EXCLUDED.updated_at
       RETURNING (xmax = 0) AS created`,
      [userId, day, payload, at],
    )) as Array<{ created: boolean }>;
    return rows[0].created;
  }

  async removeDay(userId: string, day: string): Promise<boolean> {
    const [, count] = (await this.db.query(`DELETE FROM journal_entries e WHERE e.user_id = $1 AND e.day = $2`, [
      userId,
      day,
    ])) as [unknown, number];
    return count > 0;
  }

  async settings(userId: string, m: EntityManager = this.db.manager): Promise<Buffer | undefined> {
    const rows = (await m.query(`SELECT payload FROM journal_settings WHERE user_id = $1`, [userId])) as Array<{
      payload: Buffer;
    }>;
    return rows[0]?.payload;
  }

  async putSettings(
    userId: string,
    payload: Buffer,
    reminderDueAt: Date | null,
    at: Date,
    m: EntityManager = this.db.manager,
  ): Promise<void> {
    await m.query(
      `INSERT INTO journal_settings (user_id, payload, reminder_due_at, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET payload = EXCLUDED.payload, reminder_due_at = EXCLUDED.reminder_due_at,
         updated_at = EXCLUDED.updated_at`,
      [userId, payload, reminderDueAt, at],
    );
  }

  /** Members whose reminder is due, locked for this run (another process skips them), earliest first. */
  async dueReminders(
    m: EntityManager,
    now: Date,
    limit: number,
  ): Promise<Array<{ userId: string; dueAt: Date; payload: Buffer }>> {
    return (await m.query(
      `SELECT user_id::text AS "userId", reminder_due_at AS "dueAt", payload FROM journal_settings
        WHERE reminder_due_at <= $1 ORDER BY reminder_due_at, user_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    )) as Array<{ userId: string; dueAt: Date; payload: Buffer }>;
  }

  async setReminderDue(m: EntityManager, userId: string, dueAt: Date | null): Promise<void> {
    await m.query(`UPDATE journal_settings SET reminder_due_at = $2 WHERE user_id = $1`, [userId, dueAt]);
  }

  async addShare(
    userId: string,
    tokenHash: string,
    from: string,
    to: string,
    createdAt: Date,
    expiresAt: Date,
  ): Promise<ShareRow> {
    const rows = (await this.db.query(
      `INSERT INTO journal_shares (user_id, token_hash, from_day, to_day, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${SHARE_COLUMNS}`,
      [userId, tokenHash, from, to, createdAt, expiresAt],
    )) as ShareRow[];
    return rows[0];
  }

  async liveShareCount(userId: string, at: Date): Promise<number> {
    const rows = (await this.db.query(
      `SELECT count(*)::int AS n FROM journal_shares WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2`,
      [userId, at],
    )) as Array<{ n: number }>;
    return rows[0].n;
  }

  /** Her shares, newest first (a member holds few: bounded by LIVE_SHARES_MAX live ones and `limit`). */
  async shares(userId: string, limit: number): Promise<ShareRow[]> {
    return (await this.db.query(
      `SELECT ${SHARE_COLUMNS} FROM journal_shares WHERE user_id = $1 ORDER BY id DESC LIMIT $2`,
      [userId, limit],
    )) as ShareRow[];
  }

  /** The latest `perShare` views of each share, newest first, with each share's count. */
  async views(shareIds: string[], perShare: number): Promise<{ rows: ShareViewRow[]; counts: Map<string, number> }> {
    if (shareIds.length === 0) return { rows: [], counts: new Map() };
    const rows = (await this.db.query(
      `SELECT v."shareId", v."viewedAt", v.browser, v.device FROM unnest($1::bigint[]) AS s(id)
       CROSS JOIN LATERAL (
         SELECT share_id::text AS "shareId", viewed_at AS "viewedAt", browser, device FROM journal_share_views
          WHERE share_id = s.id ORDER BY id DESC LIMIT $2) v`,
      [shareIds, perShare],
    )) as ShareViewRow[];
    const counted = (await this.db.query(
      `SELECT share_id::text AS id, count(*)::int AS n FROM journal_share_views WHERE share_id = ANY($1::bigint[])
        GROUP BY share_id`,
      [shareIds],
    )) as Array<{ id: string; n: number }>;
    return { rows, counts: new Map(counted.map((c) => [c.id, c.n])) };
  }

  async share(userId: string, id: string): Promise<ShareRow | undefined> {
    const rows = (await this.db.query(`SELECT ${SHARE_COLUMNS} FROM journal_shares WHERE user_id = $1 AND id = $2`, [
      userId,
      id,
    ])) as ShareRow[];
    return rows[0];
  }

  async revokeShare(userId: string, id: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE journal_shares SET revoked_at = $3 WHERE user_id = $1 AND id = $2 AND revoked_at IS NULL`,
      [userId, id, at],
    );
  }

  async shareByHash(tokenHash: string): Promise<ShareRow | undefined> {
    const rows = (await this.db.query(`SELECT ${SHARE_COLUMNS} FROM journal_shares WHERE token_hash = $1`, [
      tokenHash,
    ])) as ShareRow[];
    return rows[0];
  }

  async addView(shareId: string, at: Date, browser: string, device: string): Promise<void> {
    await this.db.query(
      `INSERT INTO journal_share_views (share_id, viewed_at, browser, device) VALUES ($1, $2, $3, $4)`,
      [shareId, at, browser, device],
    );
  }

  /** Everything of hers, in the account deletion's transaction (the foreign keys cascade too; this says so). */
  async forget(m: EntityManager, userId: string): Promise<void> {
    await m.query(`DELETE FROM journal_shares WHERE user_id = $1`, [userId]);
    await m.query(`DELETE FROM journal_entries WHERE user_id = $1`, [userId]);
    await m.query(`DELETE FROM journal_settings WHERE user_id = $1`, [userId]);
  }
}
