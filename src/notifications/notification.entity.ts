import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type { NotificationKind } from './notification.constants';

/**
 * Something a member should know: a reply in a watched thread, a mention, a moderation outcome. `data` holds what
 * the list shows (thread title, an excerpt, who: never an anonymous author's name), frozen at the time.
 */
@Entity('notifications')
@Check('ck_notifications_kind', `"kind" IN ('reply', 'mention', 'moderation')`)
@Index('ix_notifications_user', ['userId', 'id'])
@Index('ix_notifications_unread', ['userId'], { where: `"read_at" IS NULL` })
export class NotificationEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_notifications_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 16 })
  kind!: NotificationKind;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  /** False: shown here only, never sent by mail (the post had crisis words). */
  @Column({ type: 'boolean', default: true })
  mailable!: boolean;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
