import { Check, Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { SuppressionScope } from './mail.constants';

/** An address (by its keyed hash) that stopped some or all mail: a hard bounce, or an unsubscribe from notices. */
@Entity('mail_suppressions')
@Check('ck_mail_suppressions_scope', `"scope" IN ('all', 'notice')`)
export class MailSuppressionEntity {
  @PrimaryColumn({ name: 'address_hash', type: 'varchar', length: 64 })
  addressHash!: string;

  @PrimaryColumn({ type: 'varchar', length: 12 })
  scope!: SuppressionScope;

  @Column({ type: 'varchar', length: 32 })
  reason!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
