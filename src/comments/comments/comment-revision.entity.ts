import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import { CommentEntity } from './comment.entity';

/** The text a comment had before an edit, who edited it and, for a moderator's edit, why. */
@Entity('comment_revisions')
@Index('ix_comment_revisions_comment', ['commentId', 'id'])
export class CommentRevisionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'comment_id', type: 'bigint' })
  commentId!: string;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id', foreignKeyConstraintName: 'fk_comment_revisions_comment' })
  comment?: CommentEntity;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'edited_by', type: 'bigint', nullable: true })
  editedBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'edited_by', foreignKeyConstraintName: 'fk_comment_revisions_editor' })
  editor?: UserEntity;

  /** A moderator's reason for changing someone else's words (null for the author's own edits). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  /** When the replaced text was written (the comment's creation, or its previous edit). */
  @Column({ name: 'written_at', type: 'timestamptz' })
  writtenAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
