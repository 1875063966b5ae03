import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type { Frequency, TargetType } from './subscription.constants';

/**
 * One address following one place: a member (her own address, read from users when mail goes) or a guest (the
 * address given). It sends nothing until confirmed from the link mailed to it (double opt-in).
 */
@Entity('subscriptions')
@Check('ck_subscriptions_target_type', `"target_type" IN ('page', 'category', 'thread', 'newsletter')`)
@Check('ck_subscriptions_frequency', `"frequency" IN ('immediately', 'daily', 'weekly')`)
@Check('ck_subscriptions_who', `("user_id" IS NULL) <> ("address" IS NULL)`)
@Index('ux_subscriptions_subscriber_target', ['subscriber', 'targetType', 'targetId'], { unique: true })
@Index('ix_subscriptions_target', ['targetType', 'targetId', 'frequency'])
export class SubscriptionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Index('ix_subscriptions_user')
  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_subscriptions_user' })
  user?: UserEntity;

  /** A guest's address (members' come from their account). */
  @Column({ type: 'varchar', length: 320, nullable: true })
  address!: string | null;

  /** Who, for "one subscription per place": `u:<userId>` or `a:<address hash>`. */
  @Column({ type: 'varchar', length: 80 })
  subscriber!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 12 })
  targetType!: TargetType;

  /** The page's, category's or thread's id; 0 for the newsletter. */
  @Column({ name: 'target_id', type: 'bigint' })
  targetId!: string;

  @Column({ type: 'varchar', length: 12 })
  frequency!: Frequency;

  /** A guest's time zone for digests (members': their account's). */
  @Column({ name: 'time_zone', type: 'varchar', length: 64, nullable: true })
  timeZone!: string | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  /** SHA-256 of the confirmation link's token (the token itself is never stored). */
  @Index('ux_subscriptions_confirm_hash', { unique: true })
  @Column({ name: 'confirm_hash', type: 'varchar', length: 64, nullable: true })
  confirmHash!: string | null;

  @Column({ name: 'confirm_expires_at', type: 'timestamptz', nullable: true })
  confirmExpiresAt!: Date | null;

  @Column({ name: 'confirm_sent_at', type: 'timestamptz', nullable: true })
  confirmSentAt!: Date | null;

  /** The last digest period sent (`2026-12-04`, or the week's Monday), so an hourly run sends each once. */
  @Column({ name: 'last_digest_period', type: 'varchar', length: 16, nullable: true })
  lastDigestPeriod!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
