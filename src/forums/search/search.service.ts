import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '../../common/auth/principal';
import { plainTextExcerpt } from '../../common/markdown/markdown';
import { decodeCursor, type Page, PageQueryDto, pageLimit, toPage } from '../../common/pagination';
import { Text } from '../../common/validation/decorators';
import { listedSql, notBlockedSql } from '../../publishing/content-policy';
import { type AuthorView, authorView } from '../forum-views';

export class SearchQueryDto extends PageQueryDto {
  @Text({ min: 1, max: 200, description: 'words to find; quotes for a phrase, -word to exclude' })
  q!: string;
}

export interface SearchHit {
  type: 'thread' | 'post';
  threadId: string;
  threadTitle: string;
  postId: string;
  excerpt: string;
  author: AuthorView;
  createdAt: string;
  rank: number;
}

interface HitRow {
  type: 'thread' | 'post';
  threadId: string;
  threadTitle: string;
  postId: string;
  body: string;
  anonymous: boolean;
  authorUsername: string;
  authorDisplayName: string;
  createdAt: Date;
  rank: number;
  rankText: string;
}

/**
 * Full-text search over published threads (by title, ranked higher) and posts (by body), with PostgreSQL's
 * `websearch_to_tsquery`: whatever is typed is read as words, never as syntax, so no input can break the query.
 * What it finds follows the content policy: listed (published) content only, and the viewer's blocks never apply
 * to anonymous posts.
 */
@Injectable()
export class SearchService {
  constructor(private readonly db: DataSource) {}

  async search(query: SearchQueryDto, viewer: Principal | undefined): Promise<Page<SearchHit>> {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, 'ris');
    const rows = (await this.db.query(
      `WITH q AS (SELECT websearch_to_tsquery('english', $1) AS query),
       hits AS (
         SELECT 'thread' AS type, t.id AS "threadId", t.first_post_id AS "postId",
                ts_rank(to_tsvector('english', t.title), q.query) * 2 AS rank
           FROM threads t, q
          WHERE ${listedSql('t')} AND to_tsvector('english', t.title) @@ q.query AND t.first_post_id IS NOT NULL
         UNION ALL
         SELECT 'post', p.thread_id, p.id, ts_rank(to_tsvector('english', p.body), q.query)
           FROM posts p, q
          WHERE ${listedSql('p')} AND to_tsvector('english', p.body) @@ q.query
       )
       SELECT h.type, h."threadId", t.title AS "threadTitle", h."postId", p.body, p.anonymous,
              u.username AS "authorUsername", u.display_name AS "authorDisplayName", p.created_at AS "createdAt",
              h.rank::float8 AS rank, h.rank::text AS "rankText"
         FROM hits h
         JOIN threads t ON t.id = h."threadId" AND ${listedSql('t')}
         JOIN posts p ON p.id = h."postId"
         JOIN users u ON u.id = p.author_id
        WHERE ($2::text IS NULL OR (h.rank::real, h."postId", h.type) < ($2::real, $3::bigint, $4::text))
          AND ${notBlockedSql('p', 5, { anonymous: true })}
        ORDER BY h.rank::real DESC, h."postId" DESC, h.type DESC
        LIMIT $6`,
      [query.q, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, viewer?.id ?? null, limit + 1],
    )) as HitRow[];
    return toPage(
      rows,
      limit,
      (r) => ({
        type: r.type,
        threadId: r.threadId,
        threadTitle: r.threadTitle,
        postId: r.postId,
        excerpt: plainTextExcerpt(r.body, 240),
        author: authorView(r, viewer),
        createdAt: r.createdAt.toISOString(),
        rank: r.rank,
      }),
      (r) => [r.rankText, r.postId, r.type],
    );
  }
}
