import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type { ConversationMessageStatus } from './conversation.constants';
import { ConversationEntity } from './conversation.entity';

/**
 * A message in a conversation: Markdown as written and its sanitised rendering. The unique (conversation, author,
 * client id) makes a resend after a lost acknowledgement store nothing new. History and catch-up read
 * (conversation_id, id). `from_team`: written for the moderation team (a care conversation).
 */
@Entity('conversation_messages')
@Check('ck_conversation_messages_status', `"status" IN ('published', 'pending', 'hidden', 'deleted', 'rejected')`)
@Check('ck_conversation_messages_body_length', `char_length("body") BETWEEN 1 AND 20000`)
@Check('ck_conversation_messages_client_id', `"client_id" ~ '^[A-Za-z0-9_-]{1,64}$'`)
@Index('uq_conversation_messages_client', ['conversationId', 'authorId', 'clientId'], { unique: true })
// (conversation_id, id) INCLUDE (author_id, status), made by hand in its migration (TypeORM cannot write INCLUDE): an
// unread count reads the index alone, never the messages' pages.
@Index('ix_conversation_messages_conversation', { synchronize: false })
@Index('ix_conversation_messages_author', ['authorId', 'id'])
@Index('uq_conversation_messages_pos', ['conversationId', 'pos'], { unique: true })
export class ConversationMessageEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_conversation_messages',
  })
  id!: string;

  @Column({ name: 'conversation_id', type: 'bigint' })
  conversationId!: string;

  @ManyToOne(() => ConversationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'fk_conversation_messages_conversation' })
  conversation?: ConversationEntity;

  @Column({ name: 'author_id', type: 'bigint' })
  authorId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'author_id', foreignKeyConstraintName: 'fk_conversation_messages_author' })
  author?: UserEntity;

  /**
   * Its place in the conversation's catch-up order, from the conversation's counter: given by a database trigger when
   * the message is stored and again when it becomes published (approved, restored), so "after the last message I
   * saw" also brings a message published late with an older id.
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
  status!: ConversationMessageStatus;

  /** Why the publishing gate held it, for the author and moderators. */
  @Column({ name: 'held_reason', type: 'text', nullable: true })
  heldReason!: string | null;

  @Column({ name: 'from_team', type: 'boolean', default: false })
  fromTeam!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
