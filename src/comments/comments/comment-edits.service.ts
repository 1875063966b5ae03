import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { hasRole, type Principal } from '../../common/auth/principal';
import { Clock } from '../../common/clock/clock';
import { badInput, conflict, forbidden, notFound } from '../../common/errors/domain-error';
import { EVENTS } from '../../common/events';
import { renderMarkdown } from '../../common/markdown/markdown';
import { TypedEvents } from '../../common/typed-events';
import { APP_CONFIG } from '../../config/config.module';
import type { AppConfig } from '../../config/config';
import { type ContentStatus, itemVisibility, readerOf } from '../../publishing/content-policy';
import { PublishingGate } from '../../publishing/publishing-gate';
import { CommentsService, type CommentView } from './comments.service';

/** An earlier text of a comment, newest first: who replaced it, when, and (a moderator's edit) why. */
export interface CommentRevisionView {
  id: string;
  body: string;
  bodyHtml: string;
  writtenAt: string;
  editedAt: string;
  editedBy: string | null;
  reason: string | null;
}

interface Loaded {
  authorId: string | null;
  body: string;
  status: ContentStatus;
  createdAt: Date;
  editedAt: Date | null;
  pendingBody: string | null;
}

/**
 * What happens to a comment after it is written: its member author edits it within the window (each edit keeps
 * the replaced text as a revision) or deletes it; a moderator edits any comment (guests' too) with a reason, hides,
 * restores or deletes it. Moderators' actions on others' comments go to the audit log (content.moderated).
 */
@Injectable()
export class CommentEditsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly comments: CommentsService,
    private readonly gate: PublishingGate,
    private readonly clock: Clock,
    private readonly events: TypedEvents,
  ) {}

  /** Member authors within the window; moderators at any time. Guests cannot edit (nothing proves who they are). */
  async edit(
    viewer: Principal,
    id: string,
    body: string,
    reason?: string,
    options: { key?: string; reasonRequired?: boolean } = {},
  ): Promise<CommentView> {
    if (options.key !== undefined) await this.titleOn(options.key, id);
    const moderator = hasRole(viewer, 'moderator');
    const c = await this.owned(viewer, id, 'edit');
    if (!moderator && this.clock.now() - c.createdAt.getTime() > this.config.comments.editWindowMinutes * 60_000) {
      throw forbidden(`Comments can be edited for ${this.config.comments.editWindowMinutes} minutes`);
    }
    const own = c.authorId === viewer.id;
    if (!own && options.reasonRequired && !reason) {
      throw badInput('reason', "is required: say why you change someone else's words (3 to 500 characters)");
    }
    if (c.body === body && c.pendingBody === null) return this.comments.one(id, viewer);
    const decision = await this.gate.decide({
      kind: 'comment',
      action: 'edit',
      author: viewer,
      text: body,
      approval: 'new_members',
    });
    const recorded = await this.db.transaction(async (m) => {
      // A held edit of a published comment waits beside it; readers keep the published text until it is approved.
      if (decision.status === 'pending' && c.status === 'published') {
        await m.query(
          `UPDATE comments SET pending_body = $2, pending_body_html = $3, pending_reasons = $4::jsonb, pending_at = now()
            WHERE id = $1`,
          [id, body, renderMarkdown(body), JSON.stringify(decision.reasons)],
        );
      } else {
        if (c.body !== body) {
          await revision(m, id, c, viewer.id, own ? null : (reason ?? null));
          await m.query(`UPDATE comments SET body = $2, body_html = $3, edited_at = now() WHERE id = $1`, [
            id,
            body,
            renderMarkdown(body),
          ]);
        }
        await m.query(
          `UPDATE comments SET pending_body = NULL, pending_body_html = NULL, pending_reasons = NULL, pending_at = NULL
            WHERE id = $1`,
          [id],
        );
      }
      return this.gate.record(m, { targetType: 'comment', targetId: id, text: body }, decision);
    });
    recorded.announce();
    if (!own) this.moderated(viewer, 'edit', id, reason);
    return this.comments.one(id, viewer);
  }

  /** A held edit settled by a moderator: applied (the published text becomes a revision), or dropped. */
  async settleEdit(id: string, apply: boolean, within?: EntityManager): Promise<void> {
    const settle = async (m: EntityManager) => {
      const rows = (await m.query(
        `SELECT author_id AS "authorId", body, created_at AS "createdAt", edited_at AS "editedAt",
                pending_body AS "pendingBody" FROM comments WHERE id = $1 FOR UPDATE`,
        [id],
      )) as Array<Omit<Loaded, 'status'>>;
      const c = rows[0];
      if (!c || c.pendingBody === null) return;
      if (apply) {
        await revision(m, id, c, c.authorId, null);
        await m.query(
          `UPDATE comments SET body = pending_body, body_html = pending_body_html, edited_at = pending_at WHERE id = $1`,
          [id],
        );
      }
      await m.query(
        `UPDATE comments SET pending_body = NULL, pending_body_html = NULL, pending_reasons = NULL, pending_at = NULL
          WHERE id = $1`,
        [id],
      );
    };
    await (within ? settle(within) : this.db.transaction(settle));
  }

  /** Leaves a placeholder, so replies keep their place. */
  async remove(viewer: Principal, id: string, reason?: string, key?: string): Promise<void> {
    if (key !== undefined) await this.titleOn(key, id);
    const c = await this.owned(viewer, id, 'delete');
    await this.comments.setStatus(id, 'deleted');
    if (c.authorId !== viewer.id) this.moderated(viewer, 'delete', id, reason);
  }

  /** A moderator hides a published comment (members see a placeholder) or restores a hidden one. */
  async hide(viewer: Principal, id: string, reason?: string, key?: string): Promise<void> {
    await this.move(viewer, id, 'published', 'hidden', reason, key);
  }

  async restore(viewer: Principal, id: string, reason?: string, key?: string): Promise<void> {
    await this.move(viewer, id, 'hidden', 'published', reason, key);
  }

  /** Earlier versions, newest first: for the comment's member author and moderators. */
  async revisions(
    viewer: Principal,
    id: string,
    key?: string,
  ): Promise<{ comment: CommentView; revisions: CommentRevisionView[] }> {
    if (key !== undefined) await this.titleOn(key, id);
    const c = await this.load(id);
    const moderator = hasRole(viewer, 'moderator');
    const seen = c ? itemVisibility(c, readerOf(viewer)) : 'none';
    if (!c || seen === 'none') throw notFound('Comment');
    if (c.authorId !== viewer.id && !moderator)
      throw forbidden('Only the author or a moderator may read earlier versions');
    if (seen !== 'text') throw forbidden('Earlier versions are not shown while a comment is hidden or deleted');
    const rows = (await this.db.query(
      `SELECT r.id, r.body, r.written_at AS "writtenAt", r.created_at AS "editedAt", u.username AS "editedBy", r.reason
         FROM comment_revisions r LEFT JOIN users u ON u.id = r.edited_by
        WHERE r.comment_id = $1 ORDER BY r.id DESC`,
      [id],
    )) as Array<{
      id: string;
      body: string;
      writtenAt: Date;
      editedAt: Date;
      editedBy: string | null;
      reason: string | null;
    }>;
    return {
      comment: await this.comments.one(id, viewer),
      revisions: rows.map((r) => ({
        ...r,
        bodyHtml: renderMarkdown(r.body),
        writtenAt: r.writtenAt.toISOString(),
        editedAt: r.editedAt.toISOString(),
      })),
    };
  }

  /**
   * A comment on the page `key` as its edit or delete form shows it, if this viewer may change it now: the author
   * (to edit, within the window) or a moderator. `own`: the viewer wrote it (a moderator's reason is asked otherwise).
   */
  async forChange(
    viewer: Principal,
    key: string,
    id: string,
    what: 'edit' | 'delete',
  ): Promise<{ comment: CommentView; title: string; own: boolean; editableUntil: string | null }> {
    const title = await this.titleOn(key, id);
    const c = await this.owned(viewer, id, what);
    const own = c.authorId === viewer.id;
    const until = c.createdAt.getTime() + this.config.comments.editWindowMinutes * 60_000;
    if (what === 'edit' && !hasRole(viewer, 'moderator') && this.clock.now() > until) {
      throw forbidden(`Comments can be edited for ${this.config.comments.editWindowMinutes} minutes`);
    }
    return {
      comment: await this.comments.one(id, viewer),
      title,
      own,
      editableUntil: own ? new Date(until).toISOString() : null,
    };
  }

  private async move(
    viewer: Principal,
    id: string,
    from: ContentStatus,
    to: ContentStatus,
    reason?: string,
    key?: string,
  ) {
    if (!hasRole(viewer, 'moderator')) throw forbidden('Only a moderator may hide or restore a comment');
    if (key !== undefined) await this.titleOn(key, id);
    const c = await this.load(id);
    if (!c || c.status === 'deleted' || c.status === 'rejected') throw notFound('Comment');
    if (c.status !== from) {
      throw conflict(
        to === 'hidden' ? 'Only a published comment can be hidden' : 'Only a hidden comment can be restored',
      );
    }
    await this.comments.setStatus(id, to);
    this.moderated(viewer, to === 'hidden' ? 'hide' : 'restore', id, reason);
  }

  private moderated(viewer: Principal, action: string, id: string, reason?: string): void {
    this.events.emit(EVENTS.contentModerated, {
      actorId: viewer.id,
      action,
      targetType: 'comment',
      targetId: id,
      ...(reason ? { note: reason } : {}),
    });
  }

  /** The title of the page `key`, when the comment is on it (a comment is reached under its own article only). */
  private async titleOn(key: string, id: string): Promise<string> {
    const rows = (await this.db.query(
      `SELECT p.title FROM comments c JOIN pages p ON p.id = c.page_id WHERE c.id = $1 AND p.key = $2`,
      [id, key],
    )) as Array<{ title: string }>;
    if (!rows[0]) throw notFound('Comment');
    return rows[0].title;
  }

  private async load(id: string): Promise<Loaded | undefined> {
    const rows = (await this.db.query(
      `SELECT author_id AS "authorId", body, status, created_at AS "createdAt", edited_at AS "editedAt",
              pending_body AS "pendingBody" FROM comments WHERE id = $1`,
      [id],
    )) as Loaded[];
    return rows[0];
  }

  private async owned(viewer: Principal, id: string, what: string): Promise<Loaded> {
    const c = await this.load(id);
    if (!c || c.status === 'deleted' || c.status === 'rejected') throw notFound('Comment');
    if (c.authorId !== viewer.id && !hasRole(viewer, 'moderator')) {
      throw c.status === 'published'
        ? forbidden(`Only the author or a moderator may ${what} this comment`)
        : notFound('Comment');
    }
    return c;
  }
}

/** The replaced text becomes a revision, dated when it was written (the comment's creation or its last edit). */
async function revision(
  m: EntityManager,
  id: string,
  old: { body: string; createdAt: Date; editedAt: Date | null },
  editorId: string | null,
  reason: string | null,
): Promise<void> {
  await m.query(
    `INSERT INTO comment_revisions (comment_id, body, edited_by, reason, written_at) VALUES ($1, $2, $3, $4, $5)`,
    [id, old.body, editorId, reason, old.editedAt ?? old.createdAt],
  );
}
