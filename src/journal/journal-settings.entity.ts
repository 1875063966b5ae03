import { Column, Entity, Index, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/**
 * A member's journal settings, sealed like her entries (her care team's numbers, her own symptoms, her medicines
 * list, her reminder choice). `reminder_due_at` alone is in clear: when her next reminder goes (null: none), so the
 * reminder job finds who is due without opening anyone's settings.
 */
@Entity('journal_settings')
@Index('ix_journal_settings_reminder_due', ['reminderDueAt'], { where: '"reminder_due_at" IS NOT NULL' })
export class JournalSettingsEntity {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', primaryKeyConstraintName: 'pk_journal_settings' })
  userId!: string;

  @OneToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_journal_settings_user' })
  user?: UserEntity;

  @Column({ type: 'bytea' })
  payload!: Buffer;

  @Column({ name: 'reminder_due_at', type: 'timestamptz', nullable: true })
  reminderDueAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
