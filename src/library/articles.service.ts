import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PagesService } from '../comments/pages/pages.service';
import type { Principal } from '../common/auth/principal';
import { badInput, conflict, notFound } from '../common/errors/domain-error';
import type { ArticleReviewer, ArticleSource } from './article.entity';
import type { ArticleInputDto } from './dto';
import { renderLibraryMarkdown } from './library-markdown';

export type { ArticleReviewer, ArticleSource };

/** An article in the library list. */
export interface ArticleSummary {
  key: string;
  title: string;
  summary: string;
  reviewedOn: string | null;
  updatedAt: string;
}

/** An article whole: its Markdown, the HTML it renders to, and its review record. */
export interface Article extends ArticleSummary {
  body: string;
  bodyHtml: string;
  reviewers: ArticleReviewer[];
  nextReviewOn: string | null;
  sources: ArticleSource[];
}

/** What the page says when the admin does not change it. */
export const STANDARD_DISCLAIMER =
  'This article is general information, not medical advice. Talk to your care team about your own situation.';

const COLUMNS = `key, title, summary, to_char(reviewed_on, 'YYYY-MM-DD') AS "reviewedOn", updated_at AS "updatedAt"`;

/**
 * The library's articles: their text and review record (this feature's table), each with the comments feature's
 * page of the same key, which carries its comments and ratings and which the library keeps in step.
 */
@Injectable()
export class ArticlesService {
  constructor(
    private readonly db: DataSource,
    private readonly pages: PagesService,
  ) {}

  async list(): Promise<ArticleSummary[]> {
    const rows = (await this.db.query(`SELECT ${COLUMNS} FROM articles ORDER BY lower(title), key`)) as Array<
      ArticleSummary & { updatedAt: Date }
    >;
    return rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
  }

  /** The article of this key, or undefined (a page of the comments feature may still exist, linking elsewhere). */
  async find(key: string): Promise<Article | undefined> {
    const [row] = (await this.db.query(
      `SELECT ${COLUMNS}, body, reviewers, to_char(next_review_on, 'YYYY-MM-DD') AS "nextReviewOn", sources
         FROM articles WHERE key = $1`,
      [key],
    )) as Array<Omit<Article, 'bodyHtml' | 'updatedAt'> & { updatedAt: Date }>;
    if (!row) return undefined;
    return { ...row, updatedAt: row.updatedAt.toISOString(), bodyHtml: renderLibraryMarkdown(row.body) };
  }

  async get(key: string): Promise<Article> {
    const article = await this.find(key);
    if (!article) throw notFound('Article');
    return article;
  }

  /** A new article; its key must be free (an existing page of that key, with its comments, is taken over). */
  async create(admin: Principal, input: ArticleInputDto): Promise<Article> {
    const record = readRecord(input);
    const inserted = (await this.db.query(
      `INSERT INTO articles (key, title, summary, body, reviewers, reviewed_on, next_review_on, sources)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8::jsonb) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [
        input.key,
        input.title,
        input.summary,
        input.body,
        JSON.stringify(record.reviewers),
        record.reviewedOn,
        record.nextReviewOn,
        JSON.stringify(record.sources),
      ],
    )) as unknown[];
    if (inserted.length === 0) throw conflict(`An article with the key “${input.key}” exists: edit it instead`);
    await this.keepPageInStep(admin, input.key, input.title, record.reviewers);
    return this.get(input.key);
  }

  /** The article of `key` changed (its key stays: comments and links hang on it). */
  async update(admin: Principal, key: string, input: ArticleInputDto): Promise<Article> {
    const record = readRecord(input);
    const updated = (await this.db.query(
      `UPDATE articles SET title = $2, summary = $3, body = $4, reviewers = $5::jsonb, reviewed_on = $6,
              next_review_on = $7, sources = $8::jsonb, updated_at = now()
        WHERE key = $1 RETURNING key`,
      [
        key,
        input.title,
        input.summary,
        input.body,
        JSON.stringify(record.reviewers),
        record.reviewedOn,
        record.nextReviewOn,
        JSON.stringify(record.sources),
      ],
    )) as [unknown[], number];
    if (updated[1] === 0) throw notFound('Article');
    await this.keepPageInStep(admin, key, input.title, record.reviewers);
    return this.get(key);
  }

  /** The comments feature's page of this key: same title, the article's address, its first reviewer. */
  private async keepPageInStep(admin: Principal, key: string, title: string, reviewers: ArticleReviewer[]) {
    const existing = await this.pages.get(key).catch(() => undefined);
    const first = reviewers[0];
    await this.pages.put(admin, key, {
      title,
      url: `/articles/${key}`,
      reviewer: first ? `${first.name}, ${first.credentials}`.slice(0, 200) : undefined,
      editor: existing?.editor ?? undefined,
      disclaimer: existing?.disclaimer ?? STANDARD_DISCLAIMER,
    });
  }
}

interface ReviewRecord {
  reviewers: ArticleReviewer[];
  sources: ArticleSource[];
  reviewedOn: string | null;
  nextReviewOn: string | null;
}

/**
 * The form's lines as a review record: "Name, credentials" per reviewer line and "Title | https://…" (or
 * "Title https://…") per source line; the dates real days, the next review after the last.
 */
export function readRecord(input: Pick<ArticleInputDto, 'reviewers' | 'sources' | 'reviewedOn' | 'nextReviewOn'>) {
  const reviewers = lines(input.reviewers).map((line) => {
    const comma = line.indexOf(',');
    if (comma < 1 || !line.slice(comma + 1).trim()) {
      throw badInput('reviewers', `line “${line}” needs a name, a comma, then credentials`);
    }
    return { name: line.slice(0, comma).trim(), credentials: line.slice(comma + 1).trim() };
  });
  const sources = lines(input.sources).map((line) => {
    const match = /^(.+?)\s*(?:\|\s*)?(https?:\/\/\S+)$/i.exec(line);
    if (!match) throw badInput('sources', `line “${line}” needs a title, then its address (https://…)`);
    return { title: match[1].trim(), url: match[2] };
  });
  const reviewedOn = day(input.reviewedOn, 'reviewedOn');
  const nextReviewOn = day(input.nextReviewOn, 'nextReviewOn');
  if (reviewedOn && nextReviewOn && nextReviewOn <= reviewedOn) {
    throw badInput('nextReviewOn', 'must be after the date reviewed');
  }
  const record: ReviewRecord = { reviewers, sources, reviewedOn, nextReviewOn };
  return record;
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function day(value: string | undefined, field: string): string | null {
  if (!value) return null;
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw badInput(field, 'must be a real date');
  }
  return value;
}
