import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/**
 * A member's latest archive of her data (one row each): built in the background, kept compressed, downloadable by
 * her alone until `expires_at`. A new request replaces it; `request_id` tells a stale build job from the current.
 */
@Entity('account_exports')
@Check('ck_account_exports_status', `"status" IN ('building', 'ready', 'failed')`)
export class AccountExportEntity {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', primaryKeyConstraintName: 'pk_account_exports' })
  userId!: string;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_account_exports_user' })
  user?: UserEntity;

  @Column({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @Column({ type: 'varchar', length: 12 })
  status!: 'building' | 'ready' | 'failed';

  /** The archive: JSON, gzip-compressed. */
  @Column({ type: 'bytea', nullable: true })
  archive!: Buffer | null;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'ready_at', type: 'timestamptz', nullable: true })
  readyAt!: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}
