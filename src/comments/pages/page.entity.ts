import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** An article that invites comments, keyed by a slug (`breast-cancer-stage-four`). */
@Entity('pages')
@Check('ck_pages_key', `"key" ~ '^[a-z0-9][a-z0-9-]{1,99}$'`)
export class PageEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Index('uq_pages_key', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  key!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  reviewer!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  editor!: string | null;

  @Column({ type: 'text', nullable: true })
  disclaimer!: string | null;

  /** Published comments (kept by the transactions that change them). */
  @Column({ name: 'comment_count', type: 'integer', default: 0 })
  commentCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
