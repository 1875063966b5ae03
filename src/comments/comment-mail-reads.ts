import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { plainTextExcerpt } from '../common/markdown/markdown';
import type { MailItem, PlaceSummary } from '../common/mail-items';

/**
 * What mail about articles reads (subscriptions): published comments (guests by the name they gave, never their
 * address), new articles, and the titles of the articles followed.
 */
@Injectable()
export class CommentMailReads {
  constructor(private readonly db: DataSource) {}

  async comments(ids: string[]): Promise<MailItem[]> {
    if (ids.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT c.id, c.page_id AS "pageId", p.key, p.title, c.author_id AS "authorId",
              COALESCE(u.display_name, c.author_name) AS "authorName", c.body, c.created_at AS "at"
         FROM comments c JOIN pages p ON p.id = c.page_id LEFT JOIN users u ON u.id = c.author_id
        WHERE c.id = ANY($1::bigint[]) AND c.status = 'published'
        ORDER BY c.id`,
      [ids],
    )) as Array<{
      id: string;
      pageId: string;
      key: string;
      title: string;
      authorId: string | null;
      authorName: string | null;
      body: string;
      at: Date;
    }>;
    return rows.map((r) => ({
      id: r.id,
      target: { type: 'page', id: r.pageId },
      place: r.title,
      title: `A comment on “${r.title}”`,
      path: `/articles/${r.key}#comment-${r.id}`,
      authorId: r.authorId,
      authorName: r.authorName ?? 'A reader',
      excerpt: plainTextExcerpt(r.body, 240),
      at: r.at,
    }));
  }

  /** Articles first published in [from, to), oldest first, at most `limit`. */
  async newPages(from: Date, to: Date, limit: number): Promise<MailItem[]> {
    const rows = (await this.db.query(
      `SELECT id, key, title, created_at AS "at" FROM pages WHERE created_at >= $1 AND created_at < $2
        ORDER BY created_at, id LIMIT $3`,
      [from, to, limit],
    )) as Array<{ id: string; key: string; title: string; at: Date }>;
    return rows.map((r) => ({
      id: r.id,
      target: { type: 'newsletter', id: '0' },
      place: 'New articles',
      title: r.title,
      path: `/articles/${r.key}`,
      authorId: null,
      authorName: 'Haven',
      excerpt: '',
      at: r.at,
    }));
  }

  async pageByKey(key: string): Promise<PlaceSummary | undefined> {
    const rows = (await this.db.query(`SELECT id, key, title FROM pages WHERE key = $1`, [key])) as Array<{
      id: string;
      key: string;
      title: string;
    }>;
    return rows[0] && { id: rows[0].id, key: rows[0].key, title: rows[0].title, path: `/articles/${rows[0].key}` };
  }

  async pageSummaries(ids: string[]): Promise<PlaceSummary[]> {
    if (ids.length === 0) return [];
    const rows = (await this.db.query(`SELECT id, key, title FROM pages WHERE id = ANY($1::bigint[])`, [
      ids,
    ])) as Array<{ id: string; key: string; title: string }>;
    return rows.map((r) => ({ id: r.id, key: r.key, title: r.title, path: `/articles/${r.key}` }));
  }
}
