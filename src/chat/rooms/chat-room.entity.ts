import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import type { RoomKind, RoomApproval } from './chat-room.constants';

/**
 * A live support room. `open` rooms take messages at any time; a `session` room (a scheduled circle a moderator
 * hosts) takes them only between `starts_at` and `ends_at`, and the database refuses a session without a window,
 * or an open room with one. `last_message_at` is also the row each send locks, so that message ids in a room are
 * committed in order (a reconnecting client asks for "after id N" and must never find a late, lower id).
 */
@Entity('chat_rooms')
@Check('ck_chat_rooms_slug', `"slug" ~ '^[a-z0-9][a-z0-9-]{1,63}$'`)
@Check('ck_chat_rooms_kind', `"kind" IN ('open', 'session')`)
@Check('ck_chat_rooms_approval', `"approval" IN ('none', 'new_members', 'all')`)
@Check(
  'ck_chat_rooms_window',
  `("kind" = 'open' AND "starts_at" IS NULL AND "ends_at" IS NULL) OR ("kind" = 'session' AND "starts_at" IS NOT NULL AND "ends_at" > "starts_at")`,
)
@Check('ck_chat_rooms_slow_mode', `"slow_mode_seconds" BETWEEN 0 AND 3600`)
export class ChatRoomEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Index('uq_chat_rooms_slug', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  slug!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  kind!: RoomKind;

  @Column({ name: 'starts_at', type: 'timestamptz', nullable: true })
  startsAt!: Date | null;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  /** Seconds a member waits between two messages in this room (0: off); moderators are exempt. */
  @Column({ name: 'slow_mode_seconds', type: 'integer', default: 0 })
  slowModeSeconds!: number;

  /** Pre-moderation, as for categories; live rooms default to none. */
  @Column({ type: 'varchar', length: 16, default: 'none' })
  approval!: RoomApproval;

  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_chat_rooms_created_by' })
  creator?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_message_at', type: 'timestamptz', nullable: true })
  lastMessageAt!: Date | null;

  /** The last position given to a message of this room (see ChatMessageEntity.pos); moved by a database trigger. */
  @Column({ name: 'last_pos', type: 'bigint', default: 0 })
  lastPos!: string;
}
