import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import { PostEntity } from './post.entity';

/** The text a post had before an edit, and who edited it. */
@Entity('post_revisions')
@Index('ix_post_revisions_post', ['postId', 'id'])
export class PostRevisionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'post_id', type: 'bigint' })
  postId!: string;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'fk_post_revisions_post' })
  post?: PostEntity;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'edited_by', type: 'bigint', nullable: true })
  editedBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'edited_by', foreignKeyConstraintName: 'fk_post_revisions_editor' })
  editor?: UserEntity;

  /** Why a moderator changed someone else's post (shown with the revision, and in the audit log). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  /** When the replaced text was written (the post's creation, or its previous edit). */
  @Column({ name: 'written_at', type: 'timestamptz' })
  writtenAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
