import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import { CategoryEntity } from '../categories/category.entity';
import type { ContentStatus } from './thread.constants';

const STATUS_CHECK = `"status" IN ('published', 'pending', 'hidden', 'deleted', 'rejected')`;

/**
 * A discussion thread. Its first post holds the opening text. Lists read the partial index on published threads:
 * pinned first, then by last activity.
 */
@Entity('threads')
@Check('ck_threads_status', STATUS_CHECK)
@Check('ck_threads_reply_count', `"reply_count" >= 0`)
@Check('ck_threads_post_count', `"post_count" >= 0`)
@Index('ix_threads_list', ['categoryId', 'pinned', 'lastPostAt', 'id'], { where: `"status" = 'published'` })
@Index('ix_threads_author', ['authorId'])
@Index('ix_threads_search', { synchronize: false })
export class ThreadEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'category_id', type: 'bigint' })
  categoryId!: string;

  @ManyToOne(() => CategoryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_id', foreignKeyConstraintName: 'fk_threads_category' })
  category?: CategoryEntity;

  @Column({ name: 'author_id', type: 'bigint' })
  authorId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'fk_threads_author' })
  author?: UserEntity;

  @Column({ type: 'varchar', length: 150 })
  title!: string;

  @Column({ type: 'boolean', default: false })
  anonymous!: boolean;

  @Column({ type: 'boolean', default: false })
  pinned!: boolean;

  @Column({ type: 'boolean', default: false })
  locked!: boolean;

  @Column({ type: 'varchar', length: 16, default: 'published' })
  status!: ContentStatus;

  /** Published replies, the opening post not counted. */
  @Column({ name: 'reply_count', type: 'integer', default: 0 })
  replyCount!: number;

  /**
   * Positions in the thread: every post in it, whatever its state (what numbered pages count). Kept by the
   * database (trigger thread_post_count on posts: insert, delete, and a post moved to another thread), never
   * written by the application.
   */
  @Column({ name: 'post_count', type: 'integer', default: 0 })
  postCount!: number;

  @Column({ name: 'first_post_id', type: 'bigint', nullable: true })
  firstPostId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_post_at', type: 'timestamptz', default: () => 'now()' })
  lastPostAt!: Date;
}
