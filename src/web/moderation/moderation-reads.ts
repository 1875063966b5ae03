import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, type Page, type PageQueryDto, pageLimit, toPage } from '../../common/pagination';

export interface QueueSummary {
  total: number;
  crisis: number;
  held: number;
  flagged: number;
  reported: number;
  autoHidden: number;
  /** Open reports on open entries, by the reason the members gave. */
  reportReasons: Record<string, number>;
}

export interface ActiveSanction {
  id: string;
  username: string;
  displayName: string;
  kind: 'silence' | 'suspend' | 'ban';
  reason: string;
  until: string | null;
  createdAt: string;
  issuedBy: string | null;
}

export interface WatchedWordRow {
  id: string;
  pattern: string;
  action: 'block' | 'hold' | 'flag' | 'crisis';
  addedBy: string | null;
  createdAt: string;
}

export interface RoomRestriction {
  room: string;
  kind: 'mute' | 'kick';
  username: string;
  displayName: string;
  until: string;
  by: string | null;
}

/**
 * What the moderators' pages show that the moderation services do not list (yet): the queue's counts, every active
 * sanction with who issued it, the watched words with who added them, and the rooms' live mutes and kicks. Reads
 * only: every change still goes through the services, with their rules and their audit entries.
 */
@Injectable()
export class ModerationReads {
  constructor(private readonly db: DataSource) {}

  async queueSummary(): Promise<QueueSummary> {
    const [counts] = (await this.db.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE priority = 0)::int AS crisis,
              count(*) FILTER (WHERE held)::int AS held,
              count(*) FILTER (WHERE NOT held AND priority > 0 AND cardinality(reasons) > 0)::int AS flagged,
              count(*) FILTER (WHERE report_count > 0)::int AS reported,
              count(*) FILTER (WHERE auto_hidden)::int AS "autoHidden"
         FROM moderation_items WHERE status = 'open'`,
    )) as Array<Omit<QueueSummary, 'reportReasons'>>;
    const reasons = (await this.db.query(
      `SELECT r.reason, count(*)::int AS count
         FROM reports r JOIN moderation_items i
           ON i.target_type = r.target_type AND i.target_id = r.target_id AND i.status = 'open'
        WHERE r.resolved_at IS NULL GROUP BY r.reason ORDER BY r.reason`,
    )) as Array<{ reason: string; count: number }>;
    return { ...counts, reportReasons: Object.fromEntries(reasons.map((r) => [r.reason, r.count])) };
  }

  /** Sanctions in force now (not lifted, not past their end), newest first, keyset paged. */
  async activeSanctions(query: PageQueryDto): Promise<Page<ActiveSanction>> {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, 'i');
    const rows = (await this.db.query(
      `SELECT s.id, u.username, u.display_name AS "displayName", s.kind, s.reason, s.ends_at AS until,
              s.created_at AS "createdAt", issuer.username AS "issuedBy"
         FROM sanctions s JOIN users u ON u.id = s.user_id LEFT JOIN users issuer ON issuer.id = s.created_by
        WHERE s.lifted_at IS NULL AND (s.ends_at IS NULL OR s.ends_at > now())
          AND ($1::bigint IS NULL OR s.id < $1)
        ORDER BY s.id DESC LIMIT $2`,
      [after?.[0] ?? null, limit + 1],
    )) as Array<Omit<ActiveSanction, 'until' | 'createdAt'> & { until: Date | null; createdAt: Date }>;
    return toPage(
      rows,
      limit,
      (r) => ({ ...r, until: r.until?.toISOString() ?? null, createdAt: r.createdAt.toISOString() }),
      (r) => [r.id],
    );
  }

  async watchedWords(): Promise<WatchedWordRow[]> {
    const rows = (await this.db.query(
      `SELECT w.id, w.pattern, w.action, u.username AS "addedBy", w.created_at AS "createdAt"
         FROM watched_words w LEFT JOIN users u ON u.id = w.created_by ORDER BY w.id`,
    )) as Array<Omit<WatchedWordRow, 'createdAt'> & { createdAt: Date }>;
    return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
  }

  /** Mutes and kicks still running, in every room or in one. */
  async roomRestrictions(slug?: string): Promise<RoomRestriction[]> {
    const rows = (await this.db.query(
      `SELECT room.slug AS room, r.kind, u.username, u.display_name AS "displayName", r.until, moderator.username AS by
         FROM chat_restrictions r
         JOIN chat_rooms room ON room.id = r.room_id
         JOIN users u ON u.id = r.user_id
         LEFT JOIN users moderator ON moderator.id = r.created_by
        WHERE r.until > now() AND ($1::text IS NULL OR room.slug = $1)
        ORDER BY room.slug, r.until`,
      [slug ?? null],
    )) as Array<Omit<RoomRestriction, 'until'> & { until: Date }>;
    return rows.map((r) => ({ ...r, until: r.until.toISOString() }));
  }
}
