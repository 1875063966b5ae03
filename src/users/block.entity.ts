import { Check, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from './user.entity';

/** A member who no longer wants to see another's posts, comments and chat messages. */
@Entity('user_blocks')
@Check('ck_user_blocks_not_self', `"blocker_id" <> "blocked_id"`)
@Index('ix_user_blocks_blocked', ['blockedId'])
export class UserBlockEntity {
  @PrimaryColumn({ name: 'blocker_id', type: 'bigint' })
  blockerId!: string;

  @PrimaryColumn({ name: 'blocked_id', type: 'bigint' })
  blockedId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'blocker_id', foreignKeyConstraintName: 'fk_user_blocks_blocker' })
  blocker?: UserEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'blocked_id', foreignKeyConstraintName: 'fk_user_blocks_blocked' })
  blocked?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
