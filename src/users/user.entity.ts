import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../common/auth/role';

/** Usernames are stored lowercase (the check holds it), so the unique index is case-insensitive by construction. */
@Entity('users')
@Check('ck_users_username', `"username" ~ '^[a-z0-9_]{3,32}$'`)
@Check('ck_users_email_lower', `"email" = lower("email")`)
@Check('ck_users_role', `"role" IN ('member', 'moderator', 'admin')`)
// An address belongs to at most one account once confirmed; unconfirmed copies (a sign-up with a taken address,
// two sign-ups racing to confirm) may exist beside it and never sign in by it.
@Index('uq_users_email_confirmed', ['email'], { unique: true, where: '"email_verified_at" IS NOT NULL' })
export class UserEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Index('uq_users_username', { unique: true })
  @Column({ type: 'varchar', length: 32 })
  username!: string;

  @Index('ix_users_email')
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** When the member confirmed the address from the link mailed to it; no notification or digest goes before. */
  @Column({ name: 'email_verified_at', type: 'timestamptz', nullable: true })
  emailVerifiedAt!: Date | null;

  /**
   * False when the account was made with an address another account had already confirmed: it may never confirm
   * it (its owner was told instead), until the member changes to an address of her own.
   */
  @Column({ name: 'email_confirmable', type: 'boolean', default: true })
  emailConfirmable!: boolean;

  /** An IANA time zone ("Europe/London"), for the hour of digests and the journal's days; null: UTC. */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, nullable: true })
  timeZone!: string | null;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 64 })
  displayName!: string;

  @Column({ type: 'text', default: '' })
  bio!: string;

  @Column({ type: 'varchar', length: 16, default: 'member' })
  role!: Role;

  /** Published posts and comments, kept by the content features; shown on the public profile. */
  @Column({ name: 'post_count', type: 'integer', default: 0 })
  postCount!: number;

  /** When a post or comment of theirs was first published (by the gate or a moderator): no longer a new member. */
  @Column({ name: 'first_approved_at', type: 'timestamptz', nullable: true })
  firstApprovedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
