import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { notFound } from '../../common/errors/domain-error';
import { EVENTS } from '../../common/events';
import { TypedEvents } from '../../common/typed-events';
import type { PutPageDto } from '../dto';

export interface Rating {
  average: number | null;
  count: number;
  mine?: number | null;
}

export interface PageView {
  key: string;
  title: string;
  url: string;
  reviewer: string | null;
  editor: string | null;
  disclaimer: string | null;
  commentCount: number;
  rating: Rating;
  updatedAt: string;
}

interface PageRow {
  id: string;
  key: string;
  title: string;
  url: string;
  reviewer: string | null;
  editor: string | null;
  disclaimer: string | null;
  commentCount: number;
  ratingCount: number;
  ratingAverage: string | null;
  updatedAt: Date;
}

const SELECT = `SELECT p.id, p.key, p.title, p.url, p.reviewer, p.editor, p.disclaimer, p.comment_count AS "commentCount",
    p.updated_at AS "updatedAt", r.count AS "ratingCount", r.average AS "ratingAverage"
  FROM pages p
  LEFT JOIN LATERAL (SELECT count(*)::int AS count, round(avg(stars), 2)::text AS average
                       FROM page_ratings WHERE page_id = p.id) r ON true`;

/** Articles that invite comments: created by admins; counts and ratings read exact. */
@Injectable()
export class PagesService {
  constructor(
    private readonly db: DataSource,
    private readonly events: TypedEvents,
  ) {}

  async get(key: string, viewer?: Principal): Promise<PageView> {
    const rows = (await this.db.query(`${SELECT} WHERE p.key = $1`, [key])) as PageRow[];
    if (!rows[0]) throw notFound('Page');
    const view = toView(rows[0]);
    if (viewer) {
      const mine = (await this.db.query(`SELECT stars FROM page_ratings WHERE page_id = $1 AND user_id = $2`, [
        rows[0].id,
        viewer.id,
      ])) as Array<{
        stars: number;
      }>;
      view.rating.mine = mine[0]?.stars ?? null;
    }
    return view;
  }

  /** Counts for many pages at once (an article list showing "12 comments"); unknown keys are left out. */
  async counts(keys: string[]): Promise<Array<Pick<PageView, 'key' | 'commentCount' | 'rating'>>> {
    const rows = (await this.db.query(`${SELECT} WHERE p.key = ANY($1::text[]) ORDER BY p.key`, [keys])) as PageRow[];
    return rows.map((r) => {
      const v = toView(r);
      return { key: v.key, commentCount: v.commentCount, rating: v.rating };
    });
  }

  async put(admin: Principal, key: string, input: PutPageDto): Promise<{ created: boolean; page: PageView }> {
    const [row] = (await this.db.query(
      `INSERT INTO pages (key, title, url, reviewer, editor, disclaimer) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title, url = EXCLUDED.url, reviewer = EXCLUDED.reviewer,
         editor = EXCLUDED.editor, disclaimer = EXCLUDED.disclaimer, updated_at = now()
       RETURNING (xmax = 0) AS created`,
      [key, input.title, input.url, input.reviewer ?? null, input.editor ?? null, input.disclaimer ?? null],
    )) as Array<{ created: boolean }>;
    this.events.emit(EVENTS.contentModerated, {
      actorId: admin.id,
      action: row.created ? 'create' : 'update',
      targetType: 'page',
      targetId: key,
    });
    return { created: row.created, page: await this.get(key) };
  }

  async idOf(key: string): Promise<string> {
    const rows = (await this.db.query(`SELECT id FROM pages WHERE key = $1`, [key])) as Array<{ id: string }>;
    if (!rows[0]) throw notFound('Page');
    return rows[0].id;
  }
}

function toView(r: PageRow): PageView {
  return {
    key: r.key,
    title: r.title,
    url: r.url,
    reviewer: r.reviewer,
    editor: r.editor,
    disclaimer: r.disclaimer,
    commentCount: r.commentCount,
    rating: { average: r.ratingAverage === null ? null : Number(r.ratingAverage), count: r.ratingCount },
    updatedAt: r.updatedAt.toISOString(),
  };
}
