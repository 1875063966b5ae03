import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The one-time link that makes the first admin of a fresh install (auth/setup-link.ts): issued at start while no
 * admin exists, printed once in the server's output, single use, expiring; only its SHA-256 kept (common/tokens).
 * A new start replaces the unused ones. Using one takes a lock and checks that no admin exists, in one transaction:
 * two people opening the link together make exactly one admin (setup-link.ts).
 */
@Entity('setup_tokens')
export class SetupTokenEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Index('ux_setup_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
