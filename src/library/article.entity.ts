import { Check, Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A reviewer as the article names them: "Dr A. Smith", "consultant medical oncologist". */
export interface ArticleReviewer {
  name: string;
  credentials: string;
}

/** A source the article rests on. */
export interface ArticleSource {
  title: string;
  url: string;
}

/**
 * An article's text and its review record, written by admins. Its comments and ratings hang on the comments
 * feature's page of the same key (which the library keeps in step: title and address).
 */
@Entity('articles')
@Check('ck_articles_key', `"key" ~ '^[a-z0-9][a-z0-9-]{1,99}$'`)
@Check('ck_articles_reviewers', `jsonb_typeof(reviewers) = 'array'`)
@Check('ck_articles_sources', `jsonb_typeof(sources) = 'array'`)
@Check('ck_articles_review_dates', `next_review_on IS NULL OR reviewed_on IS NULL OR next_review_on > reviewed_on`)
export class ArticleEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  key!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'varchar', length: 300 })
  summary!: string;

  /** Markdown, as the admin typed it (rendered on read). */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'jsonb', default: () => `'[]'::jsonb` })
  reviewers!: ArticleReviewer[];

  @Column({ name: 'reviewed_on', type: 'date', nullable: true })
  reviewedOn!: string | null;

  @Column({ name: 'next_review_on', type: 'date', nullable: true })
  nextReviewOn!: string | null;

  @Column({ type: 'jsonb', default: () => `'[]'::jsonb` })
  sources!: ArticleSource[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
