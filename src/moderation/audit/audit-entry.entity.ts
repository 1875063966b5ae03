import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every moderator and admin action. Append-only: no route changes it, and a trigger in the database refuses
 * UPDATE, DELETE and TRUNCATE on it (see the Moderation migration).
 */
@Entity('audit_log')
@Check('ck_audit_log_details_object', `details IS NULL OR jsonb_typeof(details) = 'object'`)
@Index('ix_audit_log_target', ['targetType', 'targetId'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  /** Null when the actor is not a member (the admin CLI). */
  @Column({ name: 'actor_id', type: 'bigint', nullable: true })
  actorId!: string | null;

  /** The actor's username at the time, or `cli`. */
  @Column({ name: 'actor_label', type: 'varchar', length: 64 })
  actorLabel!: string;

  @Column({ type: 'varchar', length: 48 })
  action!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType!: string;

  @Column({ name: 'target_id', type: 'varchar', length: 64 })
  targetId!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** What the entry is about, kept as it was then (the word and its action, the sanction's terms, an excerpt), so
   *  it still reads when the thing itself is gone. */
  @Column({ type: 'jsonb', nullable: true })
  details!: Record<string, string | number | boolean | null> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
