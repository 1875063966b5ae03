import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type { ConversationKind } from './conversation.constants';

/**
 * A private conversation. `created_by` with `created_at` counts a member's new conversations a day (the daily
 * limit, read in PostgreSQL so it holds across processes); `from_team` marks a care conversation a moderator opened.
 */
@Entity('conversations')
@Check('ck_conversations_kind', `"kind" IN ('direct', 'group', 'care')`)
@Index('ix_conversations_created_by', ['createdBy', 'createdAt'])
export class ConversationEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_conversations',
  })
  id!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: ConversationKind;

  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_conversations_created_by' })
  creator?: UserEntity;

  @Column({ name: 'from_team', type: 'boolean', default: false })
  fromTeam!: boolean;

  /** The last catch-up position given to a message of this conversation (see ConversationMessageEntity.pos). */
  @Column({ name: 'last_pos', type: 'bigint', default: 0 })
  lastPos!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
