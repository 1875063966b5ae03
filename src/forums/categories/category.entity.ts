import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ApprovalPolicy } from './category.constants';

@Entity('categories')
@Check('ck_categories_slug', `"slug" ~ '^[a-z0-9][a-z0-9-]{1,63}$'`)
@Check('ck_categories_approval', `"approval" IN ('none', 'new_members', 'all')`)
@Check('ck_categories_counts', `"thread_count" >= 0 AND "post_count" >= 0`)
export class CategoryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Index('uq_categories_slug', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  slug!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  /** Which new threads and posts wait for a moderator: none, those of new members, or all. */
  @Column({ type: 'varchar', length: 16, default: 'new_members' })
  approval!: ApprovalPolicy;

  @Column({ type: 'integer', default: 0 })
  position!: number;

  /** Published threads and posts, kept exact by the same transactions that change them. */
  @Column({ name: 'thread_count', type: 'integer', default: 0 })
  threadCount!: number;

  @Column({ name: 'post_count', type: 'integer', default: 0 })
  postCount!: number;

  @Column({ name: 'last_post_at', type: 'timestamptz', nullable: true })
  lastPostAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
