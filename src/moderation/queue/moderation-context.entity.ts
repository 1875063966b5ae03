import { Check, Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { ModerationItemEntity } from './moderation-item.entity';

/**
 * The messages around a reported private message, copied at the first report (ReportedContext): what the
 * reporter saw, kept for the moderators even if the sender deletes her messages or leaves. Goes with its item.
 */
@Entity('moderation_contexts')
@Check('ck_moderation_contexts_messages', `jsonb_typeof("messages") = 'array'`)
export class ModerationContextEntity {
  @PrimaryColumn({ name: 'item_id', type: 'bigint', primaryKeyConstraintName: 'pk_moderation_contexts' })
  itemId!: string;

  @OneToOne(() => ModerationItemEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'item_id', foreignKeyConstraintName: 'fk_moderation_contexts_item' })
  item?: ModerationItemEntity;

  /** `[{id, author: {username, displayName} | null, body, bodyHtml, createdAt, isTarget}]`, oldest first. */
  @Column({ type: 'jsonb' })
  messages!: unknown[];

  @CreateDateColumn({ name: 'captured_at', type: 'timestamptz' })
  capturedAt!: Date;
}
