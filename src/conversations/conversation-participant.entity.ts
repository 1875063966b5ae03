import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { ConversationEntity } from './conversation.entity';

/**
 * A member in a conversation. `last_read_id`: the last message she has read (0: none). `last_activity_at` is the
 * conversation's latest message, kept on each participant row so that her list is one index scan (latest activity
 * first, keyset). `left_at`: she left; she gets no more messages and reads none after it.
 */
@Entity('conversation_participants')
@Index('ix_conversation_participants_list', ['userId', 'lastActivityAt', 'conversationId'], {
  where: '"left_at" IS NULL',
})
export class ConversationParticipantEntity {
  @PrimaryColumn({ name: 'conversation_id', type: 'bigint', primaryKeyConstraintName: 'pk_conversation_participants' })
  conversationId!: string;

  @ManyToOne(() => ConversationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'fk_conversation_participants_conversation' })
  conversation?: ConversationEntity;

  @PrimaryColumn({ name: 'user_id', type: 'bigint', primaryKeyConstraintName: 'pk_conversation_participants' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_conversation_participants_user' })
  user?: UserEntity;

  @Column({ name: 'last_read_id', type: 'bigint', default: 0 })
  lastReadId!: string;

  @Column({ name: 'last_activity_at', type: 'timestamptz', default: () => 'now()' })
  lastActivityAt!: Date;

  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz' })
  joinedAt!: Date;

  @Column({ name: 'left_at', type: 'timestamptz', nullable: true })
  leftAt!: Date | null;
}
