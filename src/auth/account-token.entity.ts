import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type { AccountTokenPurpose } from './account-tokens.constants';

/**
 * A link mailed to a member (confirm her address, choose a new password, confirm or undo a change of address):
 * single use, expiring, and only its SHA-256 kept (common/tokens). `email` is the address the token is about: the
 * one being confirmed, the new one of a change, the old one an undo restores.
 */
@Entity('account_tokens')
@Check('ck_account_tokens_purpose', `"purpose" IN ('verify', 'reset', 'email_change', 'email_undo')`)
@Index('ix_account_tokens_user', ['userId', 'purpose'])
export class AccountTokenEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_account_tokens_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 16 })
  purpose!: AccountTokenPurpose;

  @Index('ux_account_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
