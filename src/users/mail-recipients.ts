import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** What a sending feature needs to know of a member before it writes to her. */
export interface MailRecipient {
  id: string;
  email: string;
  displayName: string;
  /** IANA zone, or null for UTC. */
  timeZone: string | null;
  /** She confirmed her address (mail goes to confirmed addresses only). */
  confirmed: boolean;
  /** Members she blocks: nothing under their name reaches her by mail either (subscriptions' digests). */
  blocked: string[];
}

/** Members as mail recipients. The users feature owns the table; senders (notifications, subscriptions) ask here. */
@Injectable()
export class MailRecipients {
  constructor(private readonly db: DataSource) {}

  /** Those of `ids` who still exist, by id. */
  async of(ids: string[], manager: EntityManager = this.db.manager): Promise<Map<string, MailRecipient>> {
    if (ids.length === 0) return new Map();
    const rows = (await manager.query(
      `SELECT u.id, u.email, u.display_name AS "displayName", u.time_zone AS "timeZone",
              u.email_verified_at IS NOT NULL AS confirmed,
              ARRAY(SELECT b.blocked_id::text FROM user_blocks b WHERE b.blocker_id = u.id) AS blocked
         FROM users u
        WHERE u.id = ANY($1::bigint[])`,
      [ids],
    )) as MailRecipient[];
    return new Map(rows.map((r) => [r.id, r]));
  }
}
