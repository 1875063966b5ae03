import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { plainTextExcerpt } from '../common/markdown/markdown';
import type { MailItem, PlaceSummary } from '../common/mail-items';

interface ItemRow {
  id: string;
  threadId: string;
  categoryId: string;
  threadTitle: string;
  categoryName: string;
  authorId: string;
  anonymous: boolean;
  displayName: string | null;
  body: string;
  at: Date;
}

/**
 * What mail about the forums reads (subscriptions): new threads and replies, only while they and their thread are
 * published, anonymous ones without a name; and the titles of the threads and categories followed.
 */
@Injectable()
export class ForumMailReads {
  constructor(private readonly db: DataSource) {}

  /** Published replies (not opening posts) among `ids`, in a published thread. */
  async posts(ids: string[]): Promise<MailItem[]> {
    if (ids.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT p.id, t.id AS "threadId", t.category_id AS "categoryId", t.title AS "threadTitle", c.name AS "categoryName",
              p.author_id AS "authorId", p.anonymous, u.display_name AS "displayName", p.body, p.created_at AS "at"
         FROM posts p JOIN threads t ON t.id = p.thread_id JOIN categories c ON c.id = t.category_id
         LEFT JOIN users u ON u.id = p.author_id
        WHERE p.id = ANY($1::bigint[]) AND p.status = 'published' AND t.status = 'published'
          AND t.first_post_id <> p.id
        ORDER BY p.id`,
      [ids],
    )) as ItemRow[];
    return rows.map((r) => ({
      ...item(r),
      target: { type: 'thread', id: r.threadId },
      place: r.threadTitle,
      title: `Re: ${r.threadTitle}`,
      path: `/t/${r.threadId}#post-${r.id}`,
    }));
  }

  /** Published threads among `ids` (their opening post's text as the excerpt). */
  async threads(ids: string[]): Promise<MailItem[]> {
    if (ids.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT t.id, t.id AS "threadId", t.category_id AS "categoryId", t.title AS "threadTitle", c.name AS "categoryName",
              t.author_id AS "authorId", t.anonymous, u.display_name AS "displayName", p.body, t.created_at AS "at"
         FROM threads t JOIN posts p ON p.id = t.first_post_id JOIN categories c ON c.id = t.category_id
         LEFT JOIN users u ON u.id = t.author_id
        WHERE t.id = ANY($1::bigint[]) AND t.status = 'published' AND p.status = 'published'
        ORDER BY t.id`,
      [ids],
    )) as ItemRow[];
    return rows.map((r) => ({
      ...item(r),
      target: { type: 'category', id: r.categoryId },
      place: r.categoryName,
      title: r.threadTitle,
      path: `/t/${r.id}`,
    }));
  }

  /** A published thread's id and title, or undefined. */
  async thread(id: string): Promise<PlaceSummary | undefined> {
    return (await this.threadSummaries([id]))[0];
  }

  async threadSummaries(ids: string[]): Promise<PlaceSummary[]> {
    if (ids.length === 0) return [];
    const rows = (await this.db.query(
      `SELECT id, title FROM threads WHERE id = ANY($1::bigint[]) AND status = 'published'`,
      [ids],
    )) as Array<{ id: string; title: string }>;
    return rows.map((r) => ({ id: r.id, key: r.id, title: r.title, path: `/t/${r.id}` }));
  }

  async categoryBySlug(slug: string): Promise<PlaceSummary | undefined> {
    const rows = (await this.db.query(`SELECT id, name, slug FROM categories WHERE slug = $1`, [slug])) as Array<{
      id: string;
      name: string;
      slug: string;
    }>;
    return rows[0] && { id: rows[0].id, key: rows[0].slug, title: rows[0].name, path: `/c/${rows[0].slug}` };
  }

  async categorySummaries(ids: string[]): Promise<PlaceSummary[]> {
    if (ids.length === 0) return [];
    const rows = (await this.db.query(`SELECT id, name, slug FROM categories WHERE id = ANY($1::bigint[])`, [
      ids,
    ])) as Array<{ id: string; name: string; slug: string }>;
    return rows.map((r) => ({ id: r.id, key: r.slug, title: r.name, path: `/c/${r.slug}` }));
  }
}

function item(r: ItemRow): Omit<MailItem, 'target' | 'place' | 'title' | 'path'> {
  return {
    id: r.id,
    authorId: r.anonymous ? null : r.authorId,
    authorName: r.anonymous ? 'Anonymous member' : (r.displayName ?? 'A member'),
    excerpt: plainTextExcerpt(r.body, 240),
    at: r.at,
  };
}
