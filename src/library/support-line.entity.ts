import { Check, Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A crisis line or a specialist nurse helpline in one country, set by admins. */
@Entity('support_lines')
@Check('ck_support_lines_country', `country ~ '^[A-Z]{2}$'`)
@Check('ck_support_lines_kind', `kind IN ('crisis', 'nurse')`)
@Check('ck_support_lines_phone', `phone ~ '^[0-9+() -]{2,30}$'`)
@Index('ix_support_lines_country', ['country', 'kind', 'position'])
export class SupportLineEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ type: 'varchar', length: 20 })
  kind!: string;

  @Column({ type: 'varchar', length: 120 })
  name!: string;

  @Column({ type: 'varchar', length: 30 })
  phone!: string;

  @Column({ type: 'varchar', length: 120, default: '' })
  hours!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  url!: string | null;

  /** Shown first in its country and kind when lower. */
  @Column({ type: 'integer', default: 0 })
  position!: number;

  /** Seeded (or imported) and not yet checked by an admin. */
  @Column({ name: 'needs_review', type: 'boolean', default: false })
  needsReview!: boolean;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
