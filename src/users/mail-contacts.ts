import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** How mail reaches a member: her address (only once confirmed), her time zone, and whom she blocks. */
export interface MailContact {
  id: string;
  email: string;
  confirmed: boolean;
  /** IANA name; null means UTC. */
  timeZone: string | null;
  displayName: string;
  /** Members she blocks: nothing of theirs (under their name) reaches her by mail either. */
  blocked: string[];
}

/** The users feature's answer to features that mail members (subscriptions, digests): many members in one query. */
@Injectable()
export class MemberMailContacts {
  constructor(private readonly db: DataSource) {}

  async many(ids: string[]): Promise<Map<string, MailContact>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT u.id, u.email, u.email_verified_at IS NOT NULL AS confirmed, u.time_zone AS "timeZone",
              u.display_name AS "displayName",
              ARRAY(SELECT b.blocked_id::text FROM user_blocks b WHERE b.blocker_id = u.id) AS blocked
         FROM users u WHERE u.id = ANY($1::bigint[])`,
      [ids],
    )) as MailContact[];
    return new Map(rows.map((r) => [String(r.id), { ...r, id: String(r.id) }]));
  }

  async one(id: string): Promise<MailContact | undefined> {
    return (await this.many([id])).get(id);
  }
}
