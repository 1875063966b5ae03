import { countLinks } from '../../publishing/links';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CAPTCHA_VERIFIER, type CaptchaVerifier } from '../../captcha/captcha-verifier';
import { hasRole, type Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock/clock';
import { ClockWindows } from '../../common/clock/clock-windows';
import { badInput, notFound, tooManyRequests } from '../../common/errors/domain-error';
import { renderMarkdown } from '../../common/markdown/markdown';
import { decodeCursor, type PageQueryDto, pageLimit, toPage } from '../../common/pagination';
import { keyedIpHash } from '../../common/rate-limit/ip-hash';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';
import { blockedSql, type ContentStatus, readerOf, visibleSql, withholdsText } from '../../publishing/content-policy';
import {
  heldReasonText,
  pendingEditView,
  type PendingEditView,
  PublishingGate,
} from '../../publishing/publishing-gate';
import type { GateReason } from '../../publishing/review-sink';
import { countApprovedContent } from '../../users/member-counters';
import type { CreateCommentDto } from '../dto';
import { PagesService } from '../pages/pages.service';
import { CommentFormStamps } from './form-stamps';

/** Spam signal: a comment with more links than this is held (and one sent too soon after its form was shown). */
const MAX_LINKS = 2;
/** Per IP (hashed) and per member, in a 10-minute window. */
const LIMITS = { guestPerIp: 5, memberPer: 15, windowSeconds: 600 };

export type CommentAuthor =
  | { username: string; displayName: string }
  | { username: null; displayName: string; guest: true }
  | { username: null; displayName: 'Deleted'; deleted: true };

export interface CommentView {
  id: string;
  parentId: string | null;
  depth: number;
  author: CommentAuthor;
  body: string | null;
  bodyHtml: string;
  status: string;
  createdAt: string;
  editedAt: string | null;
  mine?: boolean;
  /** For its member author: an edit the gate holds (readers keep the published text until it is approved). */
  pendingEdit?: PendingEditView;
  replies: CommentView[];
}

interface CommentRow {
  id: string;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  authorId: string | null;
  authorName: string | null;
  username: string | null;
  displayName: string | null;
  body: string;
  bodyHtml: string;
  status: ContentStatus;
  createdAt: Date;
  editedAt: Date | null;
  pendingBody: string | null;
  pendingBodyHtml: string | null;
  pendingReasons: GateReason[] | null;
  pendingAt: Date | null;
  blocked: boolean;
}

const COLUMNS = `c.id, c.parent_id AS "parentId", c.root_id AS "rootId", c.depth, c.author_id AS "authorId",
  c.author_name AS "authorName", u.username, u.display_name AS "displayName", c.body, c.body_html AS "bodyHtml",
  c.status, c.created_at AS "createdAt", c.edited_at AS "editedAt", c.pending_body AS "pendingBody",
  c.pending_body_html AS "pendingBodyHtml", c.pending_reasons AS "pendingReasons", c.pending_at AS "pendingAt",
  ${blockedSql('c', 2, { anonymous: false })} AS blocked`;

/**
 * Comments on pages, by guests (name, terms, captcha) and members. Every new comment passes the one publishing
 * gate (guests and new members wait for a moderator) and the spam signals; nothing of a pending comment is served
 * to anyone but its member author and moderators; a guest's email is stored and never served.
 */
@Injectable()
export class CommentsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly pages: PagesService,
    private readonly gate: PublishingGate,
    private readonly limits: ClockWindows,
    private readonly clock: Clock,
    @Inject(CAPTCHA_VERIFIER) private readonly captcha: CaptchaVerifier,
    private readonly stamps: CommentFormStamps,
  ) {}

  /**
   * Published conversations, oldest first, each with its replies nested (depth up to 3); paged by top level. What
   * each viewer sees, and what their blocks hide, is the content policy's (comments are never anonymous).
   */
  async list(key: string, query: PageQueryDto, viewer: Principal | undefined) {
    const pageId = await this.pages.idOf(key);
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, 'i');
    const moderator = !!viewer && hasRole(viewer, 'moderator');
    const visible = visibleSql('item', 'c', { reader: 2, moderator: 3 });
    const roots = (await this.db.query(
      `SELECT ${COLUMNS} FROM comments c LEFT JOIN users u ON u.id = c.author_id
        WHERE c.page_id = $1 AND c.parent_id IS NULL AND ${visible} AND ($4::bigint IS NULL OR c.id > $4)
        ORDER BY c.id LIMIT $5`,
      [pageId, viewer?.id ?? null, moderator, after?.[0] ?? null, limit + 1],
    )) as CommentRow[];
    const kept = roots.slice(0, limit);
    const replies = kept.length
      ? ((await this.db.query(
          `SELECT ${COLUMNS} FROM comments c LEFT JOIN users u ON u.id = c.author_id
            WHERE c.root_id = ANY($1::bigint[]) AND ${visible} ORDER BY c.id`,
          [kept.map((r) => r.id), viewer?.id ?? null, moderator],
        )) as CommentRow[])
      : [];
    const views = new Map<string, CommentView>();
    for (const r of [...kept, ...replies]) views.set(r.id, view(r, viewer));
    for (const r of replies) views.get(r.parentId ?? '')?.replies.push(views.get(r.id)!);
    return toPage(
      roots,
      limit,
      (r) => views.get(r.id)!,
      (r) => [r.id],
    );
  }

  /**
   * `formStamp`: when the page's form was shown (CommentFormStamps), for the "sent too fast" signal; without one
   * (API clients) the signal measures from when the captcha was issued.
   */
  async create(viewer: Principal | undefined, key: string, input: CreateCommentDto, ip: string, formStamp?: string) {
    const pageId = await this.pages.idOf(key);
    if (!viewer) {
      if (!input.authorName) throw badInput('authorName', 'is required: the name to show with your comment');
      if (input.acceptTerms !== true) throw badInput('acceptTerms', 'must be accepted to comment as a guest');
    }
    const ipHash = keyedIpHash(this.config.comments.ipHashSecret, ip);
    await this.checkRate(viewer, ipHash);
    const needsCaptcha = !viewer || this.config.comments.captchaForMembers;
    const proof = needsCaptcha ? await this.captcha.verify(input.captcha) : undefined;
    const parent = input.parentId ? await this.parent(pageId, input.parentId) : undefined;

    const signals: GateReason[] = [];
    if (input.website) signals.push({ code: 'spam', signal: 'honeypot' });
    const minFill = this.config.comments.minFillSeconds;
    const since = this.stamps.shownAt(formStamp) ?? proof?.issuedAt.getTime();
    if (proof && since !== undefined && this.clock.now() - since < minFill * 1000) {
      signals.push({ code: 'spam', signal: 'too_fast', count: minFill });
    }
    const links = countLinks(input.body);
    if (links > MAX_LINKS) signals.push({ code: 'spam', signal: 'links', count: links });
    const decision = await this.gate.decide({
      kind: 'comment',
      action: 'create',
      author: viewer ?? { guest: true },
      text: input.body,
      approval: 'new_members',
      signals,
    });
    const status = decision.status;

    const { id, recorded } = await this.db.transaction(async (m) => {
      const [row] = (await m.query(
        `INSERT INTO comments (page_id, parent_id, root_id, depth, author_id, author_name, author_email, ip_hash, body,
                               body_html, status, held_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
        [
          pageId,
          parent?.attachTo ?? null,
          parent?.rootId ?? null,
          parent ? parent.depth : 1,
          viewer?.id ?? null,
          viewer ? null : input.authorName,
          viewer ? null : (input.authorEmail ?? null),
          ipHash,
          input.body,
          renderMarkdown(input.body),
          status,
          status === 'pending' ? heldReasonText(decision.reasons) : null,
        ],
      )) as Array<{ id: string }>;
      if (status === 'published') await countComment(m, pageId, viewer?.id ?? null, 1);
      const review = await this.gate.record(
        m,
        { targetType: 'comment', targetId: row.id, text: input.body, created: true },
        decision,
      );
      return { id: row.id, recorded: review };
    });
    recorded.announce();
    return { status, comment: await this.one(id, viewer), ...(decision.notice ? { notice: decision.notice } : {}) };
  }

  /** Moves a comment between states with the page's count (and the author's first approval) in step. */
  async setStatus(id: string, to: string, within?: EntityManager): Promise<void> {
    const move = async (m: EntityManager) => {
      const rows = (await m.query(
        `SELECT page_id AS "pageId", author_id AS "authorId", status FROM comments WHERE id = $1 FOR UPDATE`,
        [id],
      )) as Array<{
        pageId: string;
        authorId: string | null;
        status: string;
      }>;
      const c = rows[0];
      if (!c) throw notFound('Comment');
      if (c.status === to) return;
      await m.query(
        `UPDATE comments SET status = $2::varchar, held_reason = CASE WHEN $2::varchar = 'published' THEN NULL ELSE held_reason END,
                deleted_at = CASE WHEN $2::varchar = 'deleted' THEN now() ELSE deleted_at END WHERE id = $1`,
        [id, to],
      );
      if (c.status === 'published') await countComment(m, c.pageId, c.authorId, -1);
      if (to === 'published') await countComment(m, c.pageId, c.authorId, 1);
    };
    await (within ? move(within) : this.db.transaction(move));
  }

  /** One comment, as the answer to the one who has just written or edited it. */
  async one(id: string, viewer: Principal | undefined): Promise<CommentView> {
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM comments c LEFT JOIN users u ON u.id = c.author_id WHERE c.id = $1`,
      [id, viewer?.id ?? null],
    )) as CommentRow[];
    if (!rows[0]) throw notFound('Comment');
    return view(rows[0], viewer, true);
  }

  /** Replies nest to depth 3; a reply to a third-level comment joins the third level beside it. */
  private async parent(pageId: string, parentId: string) {
    const rows = (await this.db.query(
      `SELECT id, parent_id AS "parentId", coalesce(root_id, id) AS "rootId", depth FROM comments
        WHERE id = $1 AND page_id = $2 AND status = 'published'`,
      [parentId, pageId],
    )) as Array<{ id: string; parentId: string | null; rootId: string; depth: number }>;
    const p = rows[0];
    if (!p) throw badInput('parentId', 'must be the id of a published comment on this page');
    return p.depth >= 3
      ? { attachTo: p.parentId!, rootId: p.rootId, depth: 3 }
      : { attachTo: p.id, rootId: p.rootId, depth: p.depth + 1 };
  }

  private async checkRate(viewer: Principal | undefined, ipHash: string): Promise<void> {
    if (!this.config.rateLimits || (viewer && hasRole(viewer, 'moderator'))) return;
    const key = viewer ? `comment:user:${viewer.id}` : `comment:ip:${ipHash}`;
    const limit = viewer ? LIMITS.memberPer : LIMITS.guestPerIp;
    const { count, resetSeconds } = await this.limits.hit(key, LIMITS.windowSeconds);
    if (count > limit)
      throw tooManyRequests(resetSeconds, 'You have commented a lot in a short time; please wait a little');
  }
}

async function countComment(m: EntityManager, pageId: string, authorId: string | null, delta: 1 | -1): Promise<void> {
  await m.query(`UPDATE pages SET comment_count = comment_count + $2 WHERE id = $1`, [pageId, delta]);
  if (authorId) await countApprovedContent(m, authorId, delta);
}

function view(r: CommentRow, viewer: Principal | undefined, writer = false): CommentView {
  const withheld = withholdsText(r, readerOf(viewer), writer) || r.blocked;
  const pendingEdit = pendingEditView(r);
  const author: CommentAuthor =
    r.status === 'deleted'
      ? { username: null, displayName: 'Deleted', deleted: true }
      : r.username
        ? { username: r.username, displayName: r.displayName ?? r.username }
        : { username: null, displayName: r.authorName ?? 'Guest', guest: true };
  return {
    id: r.id,
    parentId: r.parentId,
    depth: r.depth,
    author,
    body: withheld ? null : r.body,
    bodyHtml: withheld ? '' : r.bodyHtml,
    status: r.status,
    createdAt: r.createdAt.toISOString(),
    editedAt: r.editedAt?.toISOString() ?? null,
    ...(r.blocked ? { blocked: true } : {}),
    ...(viewer ? { mine: r.authorId === viewer.id } : {}),
    ...(pendingEdit && viewer && r.authorId === viewer.id ? { pendingEdit } : {}),
    replies: [],
  };
}
