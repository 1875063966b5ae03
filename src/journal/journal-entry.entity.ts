import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/**
 * One day of a member's symptom journal: one row a day (`day`, a date in her time zone). Only her id and the day
 * are in clear; symptoms, grades, temperature, medicines, appointment, note and questions are sealed in `payload`
 * (AES-256-GCM under her own key, bound to her id and the day: journal-crypto.ts). Gone with her account.
 */
@Entity('journal_entries')
export class JournalEntryEntity {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', primaryKeyConstraintName: 'pk_journal_entries' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_journal_entries_user' })
  user?: UserEntity;

  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_journal_entries' })
  day!: string;

  @Column({ type: 'bytea' })
  payload!: Buffer;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
