import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('watched_words')
@Check('ck_watched_words_action', `"action" IN ('block', 'hold', 'flag', 'crisis')`)
export class WatchedWordEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  /** As the admin typed it; matching normalises case and accents. */
  @Index('uq_watched_words_pattern', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  pattern!: string;

  @Column({ type: 'varchar', length: 8 })
  action!: 'block' | 'hold' | 'flag' | 'crisis';

  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
