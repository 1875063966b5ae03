import { Check, Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One of the site's own pages (about, privacy, terms, contact): Markdown that admins edit. */
@Entity('site_pages')
@Check('ck_site_pages_key', `"key" IN ('about', 'privacy', 'terms', 'contact')`)
export class SitePageEntity {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  key!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
