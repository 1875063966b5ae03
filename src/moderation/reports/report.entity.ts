import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import type { ReportReason, ReportTarget } from './report.constants';

/** A member's report. One open report per member and target: the partial unique index holds it. */
@Entity('reports')
@Check('ck_reports_reason', `"reason" IN ('spam', 'abuse', 'misinformation', 'self_harm', 'other')`)
@Check(
  'ck_reports_target',
  `"target_type" IN ('post', 'thread', 'comment', 'chat_message', 'conversation_message', 'user')`,
)
@Index('uq_reports_open', ['reporterId', 'targetType', 'targetId'], { unique: true, where: `"resolved_at" IS NULL` })
@Index('ix_reports_target', ['targetType', 'targetId'])
export class ReportEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'reporter_id', type: 'bigint' })
  reporterId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reporter_id', foreignKeyConstraintName: 'fk_reports_reporter' })
  reporter?: UserEntity;

  @Column({ name: 'target_type', type: 'varchar', length: 16 })
  targetType!: ReportTarget;

  @Column({ name: 'target_id', type: 'bigint' })
  targetId!: string;

  @Column({ type: 'varchar', length: 16 })
  reason!: ReportReason;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;
}
