import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import { ChatRoomEntity } from '../rooms/chat-room.entity';
import type { MessageStatus } from './chat-message.constants';

/**
 * A chat message: Markdown as written and its sanitised rendering. `client_id` is the sender's own id for the
 * message: the unique (room, author, client id) makes a resend after a lost acknowledgement store nothing new.
 * History and catch-up read (room_id, id): ids grow in commit order within a room (see ChatRoomEntity).
 */
@Entity('chat_messages')
@Check('ck_chat_messages_status', `"status" IN ('published', 'pending', 'hidden', 'deleted', 'rejected')`)
@Check('ck_chat_messages_body_length', `char_length("body") BETWEEN 1 AND 20000`)
@Check('ck_chat_messages_client_id', `"client_id" ~ '^[A-Za-z0-9_-]{1,64}$'`)
@Index('uq_chat_messages_client', ['roomId', 'authorId', 'clientId'], { unique: true })
@Index('ix_chat_messages_room', ['roomId', 'id'])
@Index('uq_chat_messages_room_pos', ['roomId', 'pos'], { unique: true })
@Index('ix_chat_messages_author', ['authorId'])
export class ChatMessageEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'room_id', type: 'bigint' })
  roomId!: string;

  @ManyToOne(() => ChatRoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'fk_chat_messages_room' })
  room?: ChatRoomEntity;

  @Column({ name: 'author_id', type: 'bigint' })
  authorId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'fk_chat_messages_author' })
  author?: UserEntity;

  /**
   * The message's place in the room's catch-up order, from the room's counter: given by a database trigger when the
   * message is stored and again whenever it becomes published (approved or restored), so a client that asks for
   * what came after the last message it saw also gets a message published late with an older id.
   */
  @Column({ type: 'bigint', insert: false, update: false })
  pos!: string;

  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'body_html', type: 'text' })
  bodyHtml!: string;

  @Column({ type: 'varchar', length: 16, default: 'published' })
  status!: MessageStatus;

  /** Why the publishing gate held it, for the author and moderators. */
  @Column({ name: 'held_reason', type: 'text', nullable: true })
  heldReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
