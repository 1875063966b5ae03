import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import { ChatRoomEntity } from './chat-room.entity';
import type { RestrictionKind } from './chat-restriction.constants';

/**
 * A moderator's mute (may read, may not send) or kick (out of the room, may not rejoin) of one member in one room,
 * until a time. Kept in the database so that every server process honours it; one row per kind, replaced by the
 * next mute or kick.
 */
@Entity('chat_restrictions')
@Check('ck_chat_restrictions_kind', `"kind" IN ('mute', 'kick')`)
export class ChatRestrictionEntity {
  @PrimaryColumn({ name: 'room_id', type: 'bigint' })
  roomId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  kind!: RestrictionKind;

  @ManyToOne(() => ChatRoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'fk_chat_restrictions_room' })
  room?: ChatRoomEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_chat_restrictions_user' })
  user?: UserEntity;

  @Column({ type: 'timestamptz' })
  until!: Date;

  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_chat_restrictions_created_by' })
  creator?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
