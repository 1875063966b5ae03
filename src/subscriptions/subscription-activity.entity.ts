import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * New content that subscribers may hear of, one row per thread, reply or comment, with the place it was published
 * in and when: digests read their window from here (the text from the owning feature, while still published).
 */
@Entity('subscription_activity')
@Check('ck_subscription_activity_content_type', `"content_type" IN ('thread', 'post', 'comment')`)
@Index('ux_subscription_activity_content', ['contentType', 'contentId'], { unique: true })
@Index('ix_subscription_activity_target', ['targetType', 'targetId', 'publishedAt'])
export class SubscriptionActivityEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'content_type', type: 'varchar', length: 12 })
  contentType!: string;

  @Column({ name: 'content_id', type: 'bigint' })
  contentId!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 12 })
  targetType!: string;

  @Column({ name: 'target_id', type: 'bigint' })
  targetId!: string;

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;
}
