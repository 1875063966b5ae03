import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { GateReason } from '../../publishing/review-sink';
import { UserEntity } from '../../users/user.entity';
import { PageEntity } from '../pages/page.entity';

/**
 * A comment on a page, by a member (`author_id`) or a guest (`author_name`; their email is kept for moderators'
 * contact only and never served or logged). Replies nest to depth 3. The client's IP is kept only as a salted hash.
 */
@Entity('comments')
@Check('ck_comments_status', `"status" IN ('published', 'pending', 'hidden', 'deleted', 'rejected')`)
@Check('ck_comments_depth', `"depth" BETWEEN 1 AND 3`)
@Check('ck_comments_author', `"author_id" IS NOT NULL OR "author_name" IS NOT NULL`)
@Check(
  'ck_comments_pending_edit',
  `("pending_body" IS NULL) = ("pending_body_html" IS NULL) AND ("pending_body" IS NULL) = ("pending_at" IS NULL)`,
)
@Check('ck_comments_body_length', `char_length("body") BETWEEN 1 AND 5000`)
@Index('ix_comments_page_roots', ['pageId', 'id'], { where: `"parent_id" IS NULL` })
@Index('ix_comments_root', ['rootId', 'id'])
@Index('ix_comments_author', ['authorId'])
export class CommentEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'page_id', type: 'bigint' })
  pageId!: string;

  @ManyToOne(() => PageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'page_id', foreignKeyConstraintName: 'fk_comments_page' })
  page?: PageEntity;

  @Column({ name: 'parent_id', type: 'bigint', nullable: true })
  parentId!: string | null;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_comments_parent' })
  parent?: CommentEntity;

  /** The top-level comment of the conversation (itself for a top-level comment): one index read per page. */
  @Column({ name: 'root_id', type: 'bigint', nullable: true })
  rootId!: string | null;

  @Column({ type: 'smallint', default: 1 })
  depth!: number;

  @Column({ name: 'author_id', type: 'bigint', nullable: true })
  authorId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'fk_comments_author' })
  author?: UserEntity;

  @Column({ name: 'author_name', type: 'varchar', length: 64, nullable: true })
  authorName!: string | null;

  @Column({ name: 'author_email', type: 'varchar', length: 254, nullable: true })
  authorEmail!: string | null;

  @Column({ name: 'ip_hash', type: 'varchar', length: 64, nullable: true })
  ipHash!: string | null;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'body_html', type: 'text' })
  bodyHtml!: string;

  @Column({ type: 'varchar', length: 16, default: 'published' })
  status!: string;

  @Column({ name: 'held_reason', type: 'text', nullable: true })
  heldReason!: string | null;

  /** An edit the gate held: `body` stays what readers see until a moderator approves it. */
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
