import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import { ThreadEntity } from './thread.entity';

/**
 * How far a member has read a thread: the newest post she has had on screen ("first unread" is the next one). Moved
 * only forward, when a thread page shows her a later post than the one marked.
 */
@Entity('thread_reads')
export class ThreadReadEntity {
  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @PrimaryColumn({ name: 'thread_id', type: 'bigint' })
  threadId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_thread_reads_user' })
  user?: UserEntity;

  @ManyToOne(() => ThreadEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'fk_thread_reads_thread' })
  thread?: ThreadEntity;

  @Column({ name: 'last_read_post_id', type: 'bigint' })
  lastReadPostId!: string;

  /** When that post was written: a thread whose last post is newer has something unread. */
  @Column({ name: 'last_read_post_at', type: 'timestamptz' })
  lastReadPostAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
