import { Injectable } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import { EVENTS } from '../common/events';
import { decodeCursor, type Page, type PageQueryDto, pageLimit, toPage } from '../common/pagination';
import { TypedEvents } from '../common/typed-events';
import type { NotificationKind } from './notification.constants';
import { NotificationMail } from './notification-mail';
import type { MailableNotification } from './notification-mail-content';

export class MarkReadDto {
  @ApiPropertyOptional({ type: [String], description: 'which to mark read; none marks all' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @Matches(/^\d{1,18}$/, { each: true, message: 'ids must be notification ids' })
  ids?: string[];
}

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  data: Record<string, unknown>;
  read: boolean;
  createdAt: string;
}

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  data: Record<string, unknown>;
  /** False: shown on the notifications page only, never by mail (crisis content). Default true. */
  mailable?: boolean;
}

/**
 * A member's notifications: written by listeners of content events (with the mail of those who want it as it
 * happens, in the same transaction), read and marked here.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly db: DataSource,
    private readonly events: TypedEvents,
    private readonly mail: NotificationMail,
  ) {}

  async list(userId: string, query: PageQueryDto): Promise<Page<NotificationView> & { unread: number }> {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, 'i');
    // One statement, so the list and the unread count come from one snapshot (two queries in parallel could show
    // "1 unread" beside an empty list while a notification was being written).
    const joined = (await this.db.query(
      `SELECT u.unread, p.id, p.kind, p.data, p.read, p."createdAt"
         FROM (SELECT count(*)::int AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL) u
         LEFT JOIN LATERAL (
           SELECT id, kind, data, read_at IS NOT NULL AS read, created_at AS "createdAt" FROM notifications
            WHERE user_id = $1 AND ($2::bigint IS NULL OR id < $2) ORDER BY id DESC LIMIT $3) p ON true
        ORDER BY p.id DESC`,
      [userId, after?.[0] ?? null, limit + 1],
    )) as Array<
      { unread: number; id: string | null } & Omit<NotificationView, 'id' | 'createdAt'> & { createdAt: Date }
    >;
    const unread = joined[0]?.unread ?? 0;
    const rows = joined
      .filter((r): r is typeof r & { id: string } => r.id !== null)
      .map(({ unread: _unread, ...r }) => r);
    const page = toPage(
      rows,
      limit,
      (r) => ({ ...r, createdAt: r.createdAt.toISOString() }),
      (r) => [r.id],
    );
    return { ...page, unread };
  }

  async markRead(userId: string, ids: string[] | undefined): Promise<void> {
    if (ids === undefined) {
      await this.db.query(`UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, [userId]);
    } else if (ids.length > 0) {
      await this.db.query(
        `UPDATE notifications SET read_at = now() WHERE user_id = $1 AND id = ANY($2::bigint[]) AND read_at IS NULL`,
        [userId, ids],
      );
    }
  }

  async create(items: NewNotification[]): Promise<void> {
    if (items.length === 0) return;
    const wanted = await this.mail.wantedNow(items);
    const insert = (m: EntityManager) =>
      m.query(
        `INSERT INTO notifications (user_id, kind, data, mailable)
         SELECT * FROM unnest($1::bigint[], $2::varchar[], $3::jsonb[], $4::boolean[])
         RETURNING id, user_id AS "userId", kind, data, created_at AS "createdAt"`,
        [
          items.map((i) => i.userId),
          items.map((i) => i.kind),
          items.map((i) => JSON.stringify(i.data)),
          items.map((i) => i.mailable ?? true),
        ],
      ) as Promise<MailableNotification[]>;
    // Mail goes with its notifications, in their transaction; without mail one statement is enough.
    const rows =
      wanted.size === 0
        ? await insert(this.db.manager)
        : await this.db.transaction(async (m) => {
            const stored = await insert(m);
            await this.mail.queue(m, stored, wanted);
            return stored;
          });
    for (const r of rows) {
      this.events.emit(EVENTS.notificationCreated, {
        userId: r.userId,
        notificationId: r.id,
        kind: r.kind,
        data: r.data,
        createdAt: r.createdAt.toISOString(),
      });
    }
  }
}
