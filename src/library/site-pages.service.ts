import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../common/auth/principal';
import { notFound } from '../common/errors/domain-error';
import { EVENTS } from '../common/events';
import { TypedEvents } from '../common/typed-events';
import type { SitePageInputDto } from './dto';
import { renderLibraryMarkdown } from './library-markdown';
import { SITE_PAGE_KEYS, type SitePageKey } from './library.constants';

export interface SitePage {
  key: SitePageKey;
  title: string;
  body: string;
  bodyHtml: string;
  updatedAt: string;
}

export function isSitePageKey(key: string): key is SitePageKey {
  return (SITE_PAGE_KEYS as readonly string[]).includes(key);
}

/** About, privacy, terms and contact: seeded with starter text (migrations), edited by admins. */
@Injectable()
export class SitePagesService {
  constructor(
    private readonly db: DataSource,
    private readonly events: TypedEvents,
  ) {}

  async list(): Promise<Array<Omit<SitePage, 'body' | 'bodyHtml'>>> {
    const rows = (await this.db.query(
      `SELECT key, title, updated_at AS "updatedAt" FROM site_pages ORDER BY array_position($1::text[], key::text)`,
      [SITE_PAGE_KEYS],
    )) as Array<{ key: SitePageKey; title: string; updatedAt: Date }>;
    return rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
  }

  async get(key: string): Promise<SitePage> {
    if (!isSitePageKey(key)) throw notFound('Page');
    const [row] = (await this.db.query(
      `SELECT key, title, body, updated_at AS "updatedAt" FROM site_pages WHERE key = $1`,
      [key],
    )) as Array<{ key: SitePageKey; title: string; body: string; updatedAt: Date }>;
    if (!row) throw notFound('Page');
    return { ...row, bodyHtml: renderLibraryMarkdown(row.body), updatedAt: row.updatedAt.toISOString() };
  }

  async put(admin: Principal, key: string, input: SitePageInputDto): Promise<SitePage> {
    if (!isSitePageKey(key)) throw notFound('Page');
    await this.db.query(
      `INSERT INTO site_pages (key, title, body) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body, updated_at = now()`,
      [key, input.title, input.body],
    );
    this.events.emit(EVENTS.contentModerated, {
      actorId: admin.id,
      action: 'update',
      targetType: 'site_page',
      targetId: key,
    });
    return this.get(key);
  }
}
