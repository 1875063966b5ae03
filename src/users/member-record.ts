import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type ExportRow, type Forgetting, MemberDataRegistry } from '../common/member-data/member-data';

/** Her profile as her archive gives it back: everything the member row holds about her but the password hash. */
export interface ProfileRecord {
  username: string;
  email: string;
  emailVerifiedAt: Date | null;
  displayName: string;
  bio: string;
  role: string;
  timeZone: string | null;
  createdAt: Date;
}

const FORMER_MEMBER_EMAIL = 'former-member@haven.invalid';

/**
 * The users feature's part in a member's export and deletion: her profile and blocks for the archive, the shared
 * "Former member" account that anonymised content moves to, and removing the member row itself (last, once every
 * other feature has forgotten her: the row's foreign keys take her sessions, mail and pending requests with it).
 */
@Injectable()
export class MemberRecord implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly registry: MemberDataRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      section: 'blocks',
      exportBatch: (userId, after, limit) => this.blocksOf(userId, after, limit),
      forget: (m, who) => this.forgetBlocks(m, who),
    });
  }

  async profile(userId: string): Promise<ProfileRecord | undefined> {
    const rows = (await this.db.query(
      `SELECT username, email, email_verified_at AS "emailVerifiedAt", display_name AS "displayName", bio, role,
              time_zone AS "timeZone", created_at AS "createdAt"
         FROM users WHERE id = $1`,
      [userId],
    )) as ProfileRecord[];
    return rows[0];
  }

  /**
   * The one "Former member" account (made the first time a member leaves). Its password hash `!` matches no
   * password and its address is in the reserved `.invalid` domain, so nobody signs in as it and no mail goes to it.
   */
  async formerMemberId(m: EntityManager): Promise<string> {
    const find = async () =>
      ((await m.query(`SELECT id FROM users WHERE email = $1`, [FORMER_MEMBER_EMAIL])) as Array<{ id: string }>)[0]?.id;
    const existing = await find();
    if (existing) return existing;
    // A member may already call herself former_member: then the account takes a name nobody has.
    for (const username of ['former_member', `former_member_${Date.now().toString(36)}`]) {
      await m.query(
        `INSERT INTO users (username, email, password_hash, display_name, role)
         VALUES ($1, $2, '!', 'Former member', 'member') ON CONFLICT DO NOTHING`,
        [username, FORMER_MEMBER_EMAIL],
      );
      const made = await find();
      if (made) return made;
    }
    throw new Error('The former-member account could not be made');
  }

  /** Removes the member row; her sessions, tokens, mail and pending account requests go with it (foreign keys). */
  async erase(m: EntityManager, userId: string): Promise<void> {
    await m.query(`DELETE FROM users WHERE id = $1`, [userId]);
  }

  private async blocksOf(userId: string, after: string | null, limit: number): Promise<ExportRow[]> {
    return (await this.db.query(
      `SELECT b.blocked_id AS id, u.username, b.created_at AS "createdAt"
         FROM user_blocks b JOIN users u ON u.id = b.blocked_id
        WHERE b.blocker_id = $1 AND ($2::bigint IS NULL OR b.blocked_id > $2) ORDER BY b.blocked_id LIMIT $3`,
      [userId, after, limit],
    )) as ExportRow[];
  }

  private async forgetBlocks(m: EntityManager, who: Forgetting): Promise<void> {
    await m.query(`DELETE FROM user_blocks WHERE blocker_id = $1 OR blocked_id = $1`, [who.userId]);
  }
}
