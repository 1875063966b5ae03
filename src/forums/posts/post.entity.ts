import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { GateReason } from '../../publishing/review-sink';
import { UserEntity } from '../../users/user.entity';
import { ThreadEntity } from '../threads/thread.entity';
import { type ContentStatus } from '../threads/thread.constants';

/**
 * A post in a thread: Markdown as written (`body`) and its sanitised rendering (`body_html`), made once on write.
 * Pages read the index (thread_id, id): ids grow with time, so "oldest first" is "by id", and keyset paging is
 * `id > cursor`.
 */
@Entity('posts')
@Check('ck_posts_status', `"status" IN ('published', 'pending', 'hidden', 'deleted', 'rejected')`)
@Check(
  'ck_posts_pending_edit',
  `("pending_body" IS NULL) = ("pending_body_html" IS NULL) AND ("pending_body" IS NULL) = ("pending_at" IS NULL)`,
)
@Check('ck_posts_body_length', `char_length("body") BETWEEN 1 AND 20000`)
@Index('ix_posts_thread', ['threadId', 'id'])
@Index('ix_posts_author', ['authorId', 'id'])
@Index('ix_posts_reply_to', ['replyToId'], { where: `"reply_to_id" IS NOT NULL` })
@Index('ix_posts_search', { synchronize: false })
export class PostEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'thread_id', type: 'bigint' })
  threadId!: string;

  @ManyToOne(() => ThreadEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'fk_posts_thread' })
  thread?: ThreadEntity;

  @Column({ name: 'author_id', type: 'bigint' })
  authorId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'fk_posts_author' })
  author?: UserEntity;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'body_html', type: 'text' })
  bodyHtml!: string;

  @Column({ name: 'reply_to_id', type: 'bigint', nullable: true })
  replyToId!: string | null;

  @ManyToOne(() => PostEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'reply_to_id', foreignKeyConstraintName: 'fk_posts_reply_to' })
  replyTo?: PostEntity;

  @Column({ type: 'boolean', default: false })
  anonymous!: boolean;

  /** The author's warning about what follows ("treatment side effects", "loss"); readers open the post to read it. */
  @Column({ name: 'content_warning', type: 'varchar', length: 100, nullable: true })
  contentWarning!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'published' })
  status!: ContentStatus;

  /** Why the publishing gate held it (shown to moderators), e.g. "new member", "category requires approval". */
  @Column({ name: 'held_reason', type: 'text', nullable: true })
  heldReason!: string | null;

  /** The same reasons, structured for pages (`{code: 'crisis' | 'watched' | 'approval' | 'spam', ...}`). */
  @Column({ name: 'held_reasons', type: 'jsonb', nullable: true })
  heldReasons!: GateReason[] | null;

  /** An edit the gate held: `body` stays what members see until a moderator approves it. */
  @Column({ name: 'pending_body', type: 'text', nullable: true })
  pendingBody!: string | null;

  @Column({ name: 'pending_body_html', type: 'text', nullable: true })
  pendingBodyHtml!: string | null;

  @Column({ name: 'pending_reasons', type: 'jsonb', nullable: true })
  pendingReasons!: GateReason[] | null;

  @Column({ name: 'pending_at', type: 'timestamptz', nullable: true })
  pendingAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
