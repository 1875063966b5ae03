import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type { MailKind, MailStatus } from './mail.constants';

/**
 * One message, queued in the transaction of the change that causes it and sent by the mail worker. `key` makes it
 * one message per cause (queuing the same key twice does nothing); `message_id` stays the same across retries, so a
 * receiver that sees a retry of an accepted send sees the same message. Bodies are dropped once SMTP accepts the
 * message (they hold links that act on the account); in the local outbox (no SMTP_URL) they are what admins read.
 */
@Entity('mail_messages')
@Check('ck_mail_messages_kind', `"kind" IN ('account', 'notice', 'notification', 'digest', 'subscription')`)
@Check(
  'ck_mail_messages_status',
  `"status" IN ('queued', 'sending', 'sent', 'kept', 'bounced', 'suppressed', 'failed')`,
)
@Index('ux_mail_messages_key', ['key'], { unique: true })
@Index('ix_mail_messages_address', ['addressHash', 'createdAt'])
@Index('ix_mail_messages_user', ['userId'])
export class MailMessageEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ name: 'message_id', type: 'varchar', length: 200 })
  messageId!: string;

  @Column({ name: 'user_id', type: 'bigint', nullable: true })
  userId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_mail_messages_user' })
  user?: UserEntity;

  @Column({ name: 'to_address', type: 'varchar', length: 320 })
  toAddress!: string;

  /** The keyed hash of the address: what logs, suppression and throttles use. */
  @Column({ name: 'address_hash', type: 'varchar', length: 64 })
  addressHash!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: MailKind;

  @Column({ type: 'varchar', length: 300 })
  subject!: string;

  @Column({ name: 'text_body', type: 'text', nullable: true })
  textBody!: string | null;

  @Column({ name: 'html_body', type: 'text', nullable: true })
  htmlBody!: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  headers!: Record<string, string>;

  @Column({ type: 'varchar', length: 12, default: 'queued' })
  status!: MailStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  /** While `sending`: another worker may take the message over after this time (its sender died). */
  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil!: Date | null;

  /** The SMTP reply code or network error code of the last failed try; never an address. */
  @Column({ name: 'last_error', type: 'varchar', length: 120, nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
