import { Check, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import { PostEntity } from './post.entity';
import type { ReactionKind } from './post-reaction.constants';

/** One reaction of one kind per member per post (the primary key holds it). */
@Entity('post_reactions')
@Check('ck_post_reactions_kind', `"kind" IN ('support', 'hug', 'same', 'thanks')`)
@Index('ix_post_reactions_user', ['userId'])
export class PostReactionEntity {
  @PrimaryColumn({ name: 'post_id', type: 'bigint' })
  postId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  kind!: ReactionKind;

  @ManyToOne(() => PostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'post_id', foreignKeyConstraintName: 'fk_post_reactions_post' })
  post?: PostEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_post_reactions_user' })
  user?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
