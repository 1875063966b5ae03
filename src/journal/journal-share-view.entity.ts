import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { JournalShareEntity } from './journal-share.entity';

/**
 * Each time a share link was opened, listed for its member: when, and a coarse hint of what opened it (a browser
 * family and a device kind), never an address. Gone with the share.
 */
@Entity('journal_share_views')
@Index('ix_journal_share_views_share', ['shareId', 'id'])
export class JournalShareViewEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'pk_journal_share_views',
  })
  id!: string;

  @Column({ name: 'share_id', type: 'bigint' })
  shareId!: string;

  @ManyToOne(() => JournalShareEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'share_id', foreignKeyConstraintName: 'fk_journal_share_views_share' })
  share?: JournalShareEntity;

  @Column({ name: 'viewed_at', type: 'timestamptz' })
  viewedAt!: Date;

  /** e.g. Firefox, Chrome, Safari, Edge, Other. */
  @Column({ type: 'varchar', length: 16 })
  browser!: string;

  /** phone, tablet, computer or other. */
  @Column({ type: 'varchar', length: 8 })
  device!: string;
}
