import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import { ThreadEntity } from './thread.entity';

/** A member watching a thread: replies to it become notifications. */
@Entity('thread_subscriptions')
@Index('ix_thread_subscriptions_user', ['userId'])
export class ThreadSubscriptionEntity {
  @PrimaryColumn({ name: 'thread_id', type: 'bigint' })
  threadId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @ManyToOne(() => ThreadEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'fk_thread_subscriptions_thread' })
  thread?: ThreadEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_thread_subscriptions_user' })
  user?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
