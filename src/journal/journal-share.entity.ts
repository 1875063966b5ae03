import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/**
 * A read-only link to a period of a member's journal, for her care team or a carer: only the SHA-256 of its token
 * is kept (common/tokens), it expires (1 to 30 days after it was made) and she may revoke it. Gone with her account.
 */
@Entity('journal_shares')
@Check('ck_journal_shares_period', `"from_day" <= "to_day"`)
@Check('ck_journal_shares_expiry', `"expires_at" > "created_at"`)
@Index('ix_journal_shares_user', ['userId', 'id'])
export class JournalShareEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_journal_shares',
  })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_journal_shares_user' })
  user?: UserEntity;

  @Index('ux_journal_shares_token', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'from_day', type: 'date' })
  fromDay!: string;

  @Column({ name: 'to_day', type: 'date' })
  toDay!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
