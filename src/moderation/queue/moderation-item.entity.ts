import type { GateReason } from '../../publishing/review-sink';
import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Resolution } from './moderation-item.constants';

/**
 * One entry of the one moderation queue, whatever the content: held by the gate, flagged by a watched word, or
 * reported. At most one open entry per target (the partial unique index). Priority 0 is crisis and self-harm.
 */
@Entity('moderation_items')
@Check(
  'ck_moderation_items_target',
  `"target_type" IN ('post', 'thread', 'comment', 'chat_message', 'conversation_message', 'user')`,
)
@Check('ck_moderation_items_status', `"status" IN ('open', 'resolved')`)
@Check(
  'ck_moderation_items_resolution',
  `"resolution" IS NULL OR "resolution" IN ('approve', 'reject', 'hide', 'restore', 'delete', 'dismiss')`,
)
@Index('uq_moderation_items_open', ['targetType', 'targetId'], { unique: true, where: `"status" = 'open'` })
@Index('ix_moderation_items_queue', ['status', 'priority', 'reportCount', 'createdAt'])
export class ModerationItemEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 16 })
  targetType!: string;

  @Column({ name: 'target_id', type: 'bigint' })
  targetId!: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: 'open' | 'resolved';

  /** 0: crisis or self-harm; 1: held or flagged; 2: reported. */
  @Column({ type: 'smallint', default: 2 })
  priority!: number;

  /** Distinct members with open reports on the target (kept by the reports service). */
  @Column({ name: 'report_count', type: 'integer', default: 0 })
  reportCount!: number;

  /** Why it is here: gate reasons (rule, new member) in words, for API clients. */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  reasons!: string[];

  /** The same reasons, structured (`{code: 'crisis' | 'watched' | 'approval' | 'spam', ruleIds?, ...}`): pages map codes. */
  @Column({ name: 'gate_reasons', type: 'jsonb', default: () => `'[]'` })
  gateReasons!: GateReason[];

  /** The gate held it (pending) rather than only flagging or reports. */
  @Column({ type: 'boolean', default: false })
  held!: boolean;

  /** Hidden automatically by reports from AUTO_HIDE_REPORTS members. */
  @Column({ name: 'auto_hidden', type: 'boolean', default: false })
  autoHidden!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolved_by', type: 'bigint', nullable: true })
  resolvedBy!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  resolution!: Resolution | null;

  @Column({ name: 'resolution_note', type: 'text', nullable: true })
  resolutionNote!: string | null;
}
