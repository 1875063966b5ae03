import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import { ModerationItemEntity } from '../queue/moderation-item.entity';

/**
 * A moderator reached out from a queue item: the care conversation it opened, so that a second click opens the
 * same conversation. The row is claimed (conversation still null) before the conversation is started, so two
 * clicks at once open one conversation. `conversation_id` names a row of the conversations feature: no foreign
 * key across features; a conversation that is gone is opened afresh.
 */
@Entity('reach_outs')
export class ReachOutEntity {
  @PrimaryColumn({ name: 'item_id', type: 'bigint', primaryKeyConstraintName: 'pk_reach_outs' })
  itemId!: string;

  @OneToOne(() => ModerationItemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'item_id', foreignKeyConstraintName: 'fk_reach_outs_item' })
  item?: ModerationItemEntity;

  @Column({ name: 'conversation_id', type: 'bigint', nullable: true })
  conversationId!: string | null;

  @Column({ name: 'moderator_id', type: 'bigint', nullable: true })
  moderatorId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'moderator_id', foreignKeyConstraintName: 'fk_reach_outs_moderator' })
  moderator?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
