import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';

/** The one row of reach-out settings: the starter text an admin set (no row: the default text). */
@Entity('reach_out_settings')
@Check('ck_reach_out_settings_one_row', `"id" = 1`)
export class ReachOutSettingsEntity {
  @PrimaryColumn({ type: 'smallint', default: 1, primaryKeyConstraintName: 'pk_reach_out_settings' })
  id!: number;

  @Column({ name: 'starter_text', type: 'text' })
  starterText!: string;

  @Column({ name: 'updated_by', type: 'bigint', nullable: true })
  updatedBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'updated_by', foreignKeyConstraintName: 'fk_reach_out_settings_updated_by' })
  updater?: UserEntity;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
