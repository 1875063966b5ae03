import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A captcha challenge kept in PostgreSQL (when Redis is not configured), so any server process can check it.
 * Only an HMAC of the expected answer is stored; `consumed_at` makes each challenge single-use.
 */
@Entity('captcha_challenges')
@Check('ck_captcha_challenges_kind', `"kind" IN ('image', 'pow')`)
@Index('ix_captcha_challenges_expires', ['expiresAt'])
export class CaptchaChallengeEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 8 })
  kind!: 'image' | 'pow';

  @Column({ name: 'answer_hmac', type: 'bytea' })
  answerHmac!: Buffer;

  /** Proof of work: the salt the number is appended to. */
  @Column({ type: 'text', nullable: true })
  salt!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;
}
