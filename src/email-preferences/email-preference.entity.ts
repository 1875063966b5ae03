import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type { EmailFrequency } from './email-preferences.constants';

const FREQUENCY = `IN ('off', 'immediately', 'daily', 'weekly')`;

/**
 * A member's choices of mail, one row per member who changed anything (no row: the defaults, which the columns'
 * defaults repeat).
 */
@Entity('email_preferences')
@Check('ck_email_preferences_replies', `"replies" ${FREQUENCY}`)
@Check('ck_email_preferences_mentions', `"mentions" ${FREQUENCY}`)
@Check('ck_email_preferences_moderation', `"moderation" ${FREQUENCY}`)
@Check('ck_email_preferences_digest', `"digest" ${FREQUENCY}`)
export class EmailPreferenceEntity {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', primaryKeyConstraintName: 'pk_email_preferences' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_email_preferences_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 16, default: 'immediately' })
  replies!: EmailFrequency;

  @Column({ type: 'varchar', length: 16, default: 'immediately' })
  mentions!: EmailFrequency;

  @Column({ type: 'varchar', length: 16, default: 'immediately' })
  moderation!: EmailFrequency;

  @Column({ type: 'varchar', length: 16, default: 'daily' })
  digest!: EmailFrequency;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
