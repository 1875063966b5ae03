import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../../users/user.entity';
import { PageEntity } from '../pages/page.entity';

/** One rating per member per page (the primary key), changeable. */
@Entity('page_ratings')
@Check('ck_page_ratings_stars', `"stars" BETWEEN 1 AND 5`)
export class PageRatingEntity {
  @PrimaryColumn({ name: 'page_id', type: 'bigint' })
  pageId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @ManyToOne(() => PageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'page_id', foreignKeyConstraintName: 'fk_page_ratings_page' })
  page?: PageEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_page_ratings_user' })
  user?: UserEntity;

  @Column({ type: 'smallint' })
  stars!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
