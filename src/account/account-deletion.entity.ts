import { Check, Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/**
 * A member's request to delete her account, pending for its grace period: cancelled (the row goes) or carried out
 * at `due_at` (the row goes with her). The cancel link's token is stored only as its SHA-256.
 */
@Entity('account_deletions')
@Check('ck_account_deletions_content', `"content" IN ('anonymise', 'delete')`)
@Index('ix_account_deletions_due', ['dueAt'])
export class AccountDeletionEntity {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', primaryKeyConstraintName: 'pk_account_deletions' })
  userId!: string;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_account_deletions_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 10 })
  content!: 'anonymise' | 'delete';

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Index('uq_account_deletions_cancel', { unique: true })
  @Column({ name: 'cancel_token_hash', type: 'varchar', length: 64 })
  cancelTokenHash!: string;
}
