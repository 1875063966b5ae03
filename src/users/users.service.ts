import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { conflict, badInput, notFound } from '../common/errors/domain-error';
import { conflictIfTaken } from '../common/errors/unique-violation';
import { EVENTS } from '../common/events';
import { TypedEvents } from '../common/typed-events';
import type { MeView, PublicProfileView, UpdateMeDto, UserView } from './dto/user.dto';
import { UserEntity } from './user.entity';
import { ROLES, type Role } from '../common/auth/role';

export interface NewUser {
  username: string;
  email: string;
  passwordHash: string;
  displayName?: string;
  /** Her IANA time zone, as her browser told it at sign-up (checked by the DTO); none: UTC until she chooses. */
  timeZone?: string;
  /** False when another account had confirmed this address first: this one may never confirm it. */
  emailConfirmable?: boolean;
  /** The first admin, made through the setup link (auth/setup-link.ts); everyone else starts as a member. */
  role?: Role;
  /** The setup link's admin: her address counts as confirmed (see auth/setup-link.ts). */
  emailConfirmed?: boolean;
}

/** What login needs to check a password; never leaves the server. */
export interface Credentials {
  id: string;
  passwordHash: string;
}

/** What a password change needs: the hash to check, and the names a new password must not lean on. */
export interface OwnCredentials extends Credentials {
  username: string;
  email: string;
  displayName: string;
}

@Injectable()
export class UsersService {
  constructor(
    private readonly db: DataSource,
    private readonly events: TypedEvents,
  ) {}

  /**
   * Refuses a taken username with 409: the unique index decides, races between two registrations included. The
   * address starts unconfirmed, so it is never taken here (only a confirmed address is unique). `manager`: the
   * caller's transaction (sign-up queues its mail in it).
   */
  async create(input: NewUser, manager: EntityManager = this.db.manager): Promise<UserView> {
    const repo = manager.getRepository(UserEntity);
    try {
      const user = await repo.save(
        repo.create({
          username: input.username,
          email: input.email,
          passwordHash: input.passwordHash,
          displayName: input.displayName ?? input.username,
          emailConfirmable: input.emailConfirmable ?? true,
          role: input.role ?? 'member',
          emailVerifiedAt: input.emailConfirmed ? new Date() : null,
          timeZone: input.timeZone ?? null,
        }),
      );
      this.events.emit(EVENTS.userRegistered, { userId: user.id, username: user.username });
      return toUserView(user);
    } catch (err) {
      throw conflictIfTaken(err, (constraint) => (constraint.includes('email') ? emailTaken() : usernameTaken()));
    }
  }

  /**
   * `login` is a username or an email; both are stored lowercase. Only a confirmed address signs in: an
   * unconfirmed one may be a copy made by someone else (registration never says an address is taken).
   */
  async findCredentials(login: string): Promise<Credentials | undefined> {
    const where = login.includes('@') ? 'email = $1 AND email_verified_at IS NOT NULL' : 'username = $1';
    const rows = (await this.db.query(`SELECT id, password_hash AS "passwordHash" FROM users WHERE ${where}`, [
      login.trim().toLowerCase(),
    ])) as Credentials[];
    return rows[0];
  }

  /**
   * Whether someone can act as an admin: an account with the admin role that can sign in (the system account
   * `haven`, which signs the starter posts, has the role but no password and does not count).
   */
  async adminExists(manager: EntityManager = this.db.manager): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND password_hash <> '!') AS "exists"`,
    )) as Array<{ exists: boolean }>;
    return rows[0].exists;
  }

  /** How many members hold the moderator role (admins not counted). */
  async moderatorCount(): Promise<number> {
    const rows = (await this.db.query(`SELECT count(*)::int AS n FROM users WHERE role = 'moderator'`)) as Array<{
      n: number;
    }>;
    return rows[0].n;
  }

  async ownCredentials(id: string): Promise<OwnCredentials> {
    const rows = (await this.db.query(
      `SELECT id, password_hash AS "passwordHash", username, email, display_name AS "displayName"
         FROM users WHERE id = $1`,
      [id],
    )) as OwnCredentials[];
    if (!rows[0]) throw notFound('User');
    return rows[0];
  }

  /** A new password (already hashed): the caller ends the member's other sessions. */
  async setPasswordHash(id: string, passwordHash: string, manager: EntityManager = this.db.manager): Promise<void> {
    await manager.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [id, passwordHash]);
  }

  async getUser(id: string): Promise<UserView> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ id });
    if (!user) throw notFound('User');
    return toUserView(user);
  }

  async getMe(id: string): Promise<MeView> {
    const user = await this.db.getRepository(UserEntity).findOneBy({ id });
    if (!user) throw notFound('User');
    return {
      ...toUserView(user),
      email: user.email,
      emailConfirmed: user.emailVerifiedAt !== null,
      bio: user.bio,
      timeZone: user.timeZone,
    };
  }

  async updateMe(id: string, changes: UpdateMeDto): Promise<MeView> {
    const patch: Partial<UserEntity> = {};
    if (changes.displayName !== undefined) patch.displayName = changes.displayName;
    if (changes.bio !== undefined) patch.bio = changes.bio;
    if (changes.timeZone !== undefined) patch.timeZone = changes.timeZone;
    if (Object.keys(patch).length > 0) await this.db.getRepository(UserEntity).update({ id }, patch);
    return this.getMe(id);
  }

  async getPublicProfile(username: string): Promise<PublicProfileView> {
    const rows = (await this.db.query(
      `SELECT username, display_name AS "displayName", bio, role, created_at AS "joinedAt", post_count AS "postCount"
         FROM users WHERE username = $1`,
      [username],
    )) as Array<Omit<PublicProfileView, 'joinedAt'> & { joinedAt: Date }>;
    const row = rows[0];
    if (!row) throw notFound('User');
    return { ...row, joinedAt: row.joinedAt.toISOString() };
  }

  /**
   * Used by the admin CLI (`by` is 'cli' or the acting admin's id). Takes effect on the user's next request: the
   * role is read on every request. The audit log has recorded it when this returns.
   */
  async setRole(username: string, role: Role, by: 'cli' | string): Promise<UserView> {
    if (!ROLES.includes(role)) throw badInput('role', `must be one of ${ROLES.join(', ')}`);
    const user = await this.db.getRepository(UserEntity).findOneBy({ username: username.toLowerCase() });
    if (!user) throw notFound('User');
    const from = user.role;
    if (from !== role) {
      await this.db.getRepository(UserEntity).update({ id: user.id }, { role });
      await this.events.emitAsync(EVENTS.userRoleChanged, {
        userId: user.id,
        username: user.username,
        from,
        to: role,
        by,
      });
    }
    return toUserView({ ...user, role });
  }

  async block(blockerId: string, username: string): Promise<void> {
    const target = await this.idOf(username);
    if (target === blockerId) throw badInput('username', 'is you: you cannot block yourself');
    await this.db.query(`INSERT INTO user_blocks (blocker_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      blockerId,
      target,
    ]);
  }

  async unblock(blockerId: string, username: string): Promise<void> {
    const target = await this.idOf(username);
    await this.db.query(`DELETE FROM user_blocks WHERE blocker_id = $1 AND blocked_id = $2`, [blockerId, target]);
  }

  async listBlocked(blockerId: string): Promise<Array<{ username: string; displayName: string }>> {
    return (await this.db.query(
      `SELECT u.username, u.display_name AS "displayName" FROM user_blocks b JOIN users u ON u.id = b.blocked_id
        WHERE b.blocker_id = $1 ORDER BY b.created_at DESC`,
      [blockerId],
    )) as Array<{ username: string; displayName: string }>;
  }

  /** Keeps this zone (already checked) for a member who has none yet; a zone she chose stays. */
  async offerTimeZone(id: string, timeZone: string): Promise<void> {
    await this.db.query(`UPDATE users SET time_zone = $2 WHERE id = $1 AND time_zone IS NULL`, [id, timeZone]);
  }

  /** Whom she blocked and who blocked her, by id: neither sees the other's story (stories feature). */
  async blockedEitherWay(userId: string): Promise<string[]> {
    const rows = (await this.db.query(
      `SELECT blocked_id AS id FROM user_blocks WHERE blocker_id = $1
       UNION SELECT blocker_id FROM user_blocks WHERE blocked_id = $1`,
      [userId],
    )) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  /** Names of these members, by id (lists that hold ids of their own, e.g. the members page). */
  async namesById(ids: string[]): Promise<Map<string, { username: string; displayName: string }>> {
    if (ids.length === 0) return new Map();
    const rows = (await this.db.query(
      `SELECT id, username, display_name AS "displayName" FROM users WHERE id = ANY($1::bigint[])`,
      [ids],
    )) as Array<{ id: string; username: string; displayName: string }>;
    return new Map(rows.map((r) => [r.id, { username: r.username, displayName: r.displayName }]));
  }

  /** A member's id by username; 404 when there is none. */
  memberId(username: string): Promise<string> {
    return this.idOf(username);
  }

  /** The members among these usernames (mentions), by id; unknown names are left out. */
  async idsByUsername(usernames: string[]): Promise<string[]> {
    if (usernames.length === 0) return [];
    const rows = (await this.db.query(`SELECT id FROM users WHERE username = ANY($1::text[])`, [usernames])) as Array<{
      id: string;
    }>;
    return rows.map((r) => r.id);
  }

  /** A member's public name, or null when there is no such member. */
  async nameOf(id: string): Promise<{ username: string; displayName: string } | null> {
    const rows = (await this.db.query(`SELECT username, display_name AS "displayName" FROM users WHERE id = $1`, [
      id,
    ])) as Array<{ username: string; displayName: string }>;
    return rows[0] ?? null;
  }

  /** Who blocked this author (chat leaves them out of the author's live messages and typing). */
  async blockersOf(authorId: string): Promise<string[]> {
    const rows = (await this.db.query(`SELECT blocker_id AS id FROM user_blocks WHERE blocked_id = $1`, [
      authorId,
    ])) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }

  private async idOf(username: string): Promise<string> {
    const rows = (await this.db.query(`SELECT id FROM users WHERE username = $1`, [username])) as Array<{ id: string }>;
    if (!rows[0]) throw notFound('User');
    return rows[0].id;
  }
}

export function toUserView(u: Pick<UserEntity, 'id' | 'username' | 'displayName' | 'role' | 'createdAt'>): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    createdAt: u.createdAt.toISOString(),
  };
}

const usernameTaken = () => conflict('username is already taken');
/** Only a race between two confirmations reaches it (sign-up never meets a unique address). */
const emailTaken = () => conflict('email is already registered: sign in instead, or use another address');

/** `blockersOf` as a column of another feature's query (chat's context for a message): the ids, as text. */
export const blockersSql = (authorIdColumn: string): string =>
  `ARRAY(SELECT b.blocker_id::text FROM user_blocks b WHERE b.blocked_id = ${authorIdColumn})`;
