import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type { AcceptSetting } from './conversation.constants';

/** Who may start a conversation with a member; no row: the default (everyone). */
@Entity('conversation_settings')
@Check('ck_conversation_settings_accept', `"accept" IN ('everyone', 'known', 'nobody')`)
export class ConversationSettingsEntity {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', primaryKeyConstraintName: 'pk_conversation_settings' })
  userId!: string;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_conversation_settings_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 8 })
  accept!: AcceptSetting;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
