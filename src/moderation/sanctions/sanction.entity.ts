import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import type { SanctionKind } from './sanction.constants';

/**
 * silence: may read, not write. suspend: nothing until `ends_at`. ban: nothing, and no sign-in. Active while not
 * lifted and not past its end; checked on every authenticated request (see AuthService.resolve).
 */
@Entity('sanctions')
@Check('ck_sanctions_kind', `"kind" IN ('silence', 'suspend', 'ban')`)
@Check('ck_sanctions_suspend_ends', `"kind" <> 'suspend' OR "ends_at" IS NOT NULL`)
@Index('ix_sanctions_active', ['userId'], { where: `"lifted_at" IS NULL` })
export class SanctionEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_sanctions_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 16 })
  kind!: SanctionKind;

  @Column({ type: 'text' })
  reason!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'lifted_at', type: 'timestamptz', nullable: true })
  liftedAt!: Date | null;

  @Column({ name: 'lifted_by', type: 'bigint', nullable: true })
  liftedBy!: string | null;
}
