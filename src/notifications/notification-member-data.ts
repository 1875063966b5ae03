import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type ExportRow, MemberDataRegistry } from '../common/member-data/member-data';

/** A member's notifications in her archive; when she goes, they go, and others' stop naming her. */
@Injectable()
export class NotificationMemberData implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: MemberDataRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      section: 'notifications',
      exportBatch: (userId, after, limit) => this.notificationsOf(userId, after, limit),
      forget: async (m, who) => {
        await m.query(`DELETE FROM notifications WHERE user_id = $1`, [who.userId]);
        // Others' notifications of her replies and mentions name her: they now name a former member (and, when
        // she took her words with her, quote nothing).
        await m.query(
          `UPDATE notifications
              SET data = data || jsonb_build_object('by', jsonb_build_object('username', NULL, 'displayName', $2::text))
                          || CASE WHEN $3 THEN jsonb_build_object('excerpt', '') ELSE '{}'::jsonb END
            WHERE data -> 'by' ->> 'username' = $1`,
          [who.username, 'Former member', who.content === 'delete'],
        );
      },
    });
  }

  private async notificationsOf(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    return (await this.db.query(
      `SELECT id, kind, data, read_at AS "readAt", created_at AS "createdAt"
         FROM notifications WHERE user_id = $1 AND ($2::bigint IS NULL OR id > $2) ORDER BY id LIMIT $3`,
      [userId, after, limit],
    )) as ExportRow[];
  }
}
