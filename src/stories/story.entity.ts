import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';

/**
 * A member's story, one row per member who wrote any of it (no row: nothing said). Private unless she shows it on
 * her profile (`shown`, to members only) or lets members with the same subtype find her (`findable`).
 */
@Entity('member_stories')
@Check('ck_member_stories_role', `"role" IN ('patient', 'carer', 'bereaved')`)
@Check('ck_member_stories_subtype', `"subtype" IN ('hr_positive', 'her2_positive', 'triple_negative', 'other')`)
@Check('ck_member_stories_year', `"diagnosis_year" BETWEEN 1950 AND 2100`)
@Check('ck_member_stories_country', `"country" ~ '^[A-Z]{2}$'`)
@Check('ck_member_stories_findable_subtype', `NOT "findable" OR "subtype" IS NOT NULL`)
@Index('ix_member_stories_findable', ['subtype', 'userId'], { where: '"findable"' })
export class MemberStoryEntity {
  @PrimaryColumn({ name: 'user_id', type: 'bigint', primaryKeyConstraintName: 'pk_member_stories' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_member_stories_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 16, nullable: true })
  role!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  subtype!: string | null;

  @Column({ name: 'diagnosis_year', type: 'smallint', nullable: true })
  diagnosisYear!: number | null;

  @Column({ type: 'char', length: 2, nullable: true })
  country!: string | null;

  @Column({ type: 'boolean', default: false })
  shown!: boolean;

  @Column({ type: 'boolean', default: false })
  findable!: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
