import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ContentRegistry, type ContentForReview, type ModeratedType } from '../../publishing/content-registry';
import type { GateReason } from '../../publishing/review-sink';
import type { Resolution } from './moderation-item.constants';
import { ReportedContext } from './reported-context';

/** 0 comes first: crisis words and self-harm reports; then held and flagged content; then reported content. */
export const PRIORITY = { crisis: 0, held: 1, reported: 2 } as const;

export interface ItemRow {
  id: string;
  targetType: ModeratedType;
  targetId: string;
  status: 'open' | 'resolved';
  priority: number;
  reportCount: number;
  reasons: string[];
  gateReasons: GateReason[];
  held: boolean;
  autoHidden: boolean;
  createdAt: Date;
  createdUs: string;
  resolution: Resolution | null;
  resolutionNote: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

/** The open queue at a glance, for the moderators' page. */
export interface QueueSummary {
  total: number;
  crisis: number;
  held: number;
  flagged: number;
  reported: number;
  autoHidden: number;
  /** Open reports on open entries, by the reason the members gave. */
  reportReasons: Record<string, number>;
}

/** Reads queue entries for moderators, a page at a time, in a fixed number of queries whatever the page's size. */
@Injectable()
export class QueueReader {
  constructor(
    private readonly db: DataSource,
    private readonly registry: ContentRegistry,
  ) {}

  /** Counts of open entries by why they wait, and their open reports by reason. */
  async summary(): Promise<QueueSummary> {
    const [counts] = (await this.db.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE priority = 0)::int AS crisis,
              count(*) FILTER (WHERE held)::int AS held,
              count(*) FILTER (WHERE NOT held AND priority > 0 AND cardinality(reasons) > 0)::int AS flagged,
              count(*) FILTER (WHERE report_count > 0)::int AS reported,
              count(*) FILTER (WHERE auto_hidden)::int AS "autoHidden"
         FROM moderation_items WHERE status = 'open'`,
    )) as Array<Omit<QueueSummary, 'reportReasons'>>;
    const reasons = (await this.db.query(
      `SELECT r.reason, count(*)::int AS count
         FROM reports r JOIN moderation_items i
           ON i.target_type = r.target_type AND i.target_id = r.target_id AND i.status = 'open'
        WHERE r.resolved_at IS NULL GROUP BY r.reason ORDER BY r.reason`,
    )) as Array<{ reason: string; count: number }>;
    return { ...counts, reportReasons: Object.fromEntries(reasons.map((r) => [r.reason, r.count])) };
  }

  /**
   * Entries as moderators see them: why each is here, the content, its reports and a short history of its author.
   * One batch for the whole page: content by type, then reports, authors and their sanctions, one query each.
   */
  async details(items: ItemRow[]) {
    const contents = await this.contents(items);
    const key = (type: string, id: string) => `${type}:${id}`;
    const reports = (await this.db.query(
      `SELECT rp.target_type AS "targetType", rp.target_id AS "targetId", rp.reason, rp.note, u.username AS reporter,
              rp.created_at AS "createdAt"
         FROM reports rp JOIN users u ON u.id = rp.reporter_id
         JOIN unnest($1::text[], $2::bigint[], $3::boolean[]) AS q(type, id, resolved)
           ON rp.target_type = q.type AND rp.target_id = q.id AND (rp.resolved_at IS NULL OR q.resolved)
        ORDER BY rp.id`,
      [items.map((r) => r.targetType), items.map((r) => r.targetId), items.map((r) => r.status === 'resolved')],
    )) as Array<{
      targetType: string;
      targetId: string;
      reason: string;
      note: string | null;
      reporter: string;
      createdAt: Date;
    }>;
    const phrases = await this.watchedPhrases(items);
    const reachOuts = await this.reachOuts(items);
    const authors = await this.authorHistories([
      ...new Set([...contents.values()].map((c) => c.authorId).filter((id): id is string => !!id)),
    ]);
    return items.map((r) => {
      const content = contents.get(key(r.targetType, r.targetId));
      const mine = reports.filter((rp) => rp.targetType === r.targetType && rp.targetId === r.targetId);
      const byReason: Record<string, number> = {};
      for (const rp of mine) byReason[rp.reason] = (byReason[rp.reason] ?? 0) + 1;
      return {
        id: r.id,
        targetType: r.targetType,
        targetId: r.targetId,
        status: r.status,
        priority: r.priority,
        crisis: r.priority === PRIORITY.crisis,
        held: r.held,
        autoHidden: r.autoHidden,
        reasons: r.reasons,
        gateReasons: r.gateReasons.map((g) => withPhrases(g, phrases)),
        reportCount: r.reportCount,
        reports: {
          count: mine.length,
          byReason,
          items: mine.map((rp) => ({
            reason: rp.reason,
            note: rp.note,
            reporter: rp.reporter,
            createdAt: rp.createdAt.toISOString(),
          })),
        },
        content: content && {
          status: content.status,
          title: content.title ?? null,
          body: content.body,
          bodyHtml: content.bodyHtml ?? null,
          anonymous: content.anonymous,
          context: content.context ?? {},
          createdAt: content.createdAt.toISOString(),
          pendingEdit: content.pendingEdit
            ? {
                body: content.pendingEdit.body,
                bodyHtml: content.pendingEdit.bodyHtml ?? null,
                submittedAt: content.pendingEdit.submittedAt.toISOString(),
              }
            : null,
        },
        author: (content?.authorId && authors.get(content.authorId)) || null,
        /** A private message: the conversation around it opens on a deliberate, audited request. */
        hasContext: ReportedContext.applies(r.targetType),
        /** The care conversation a moderator opened from this item, if any. */
        reachOut: reachOuts.has(r.id) ? { conversationId: reachOuts.get(r.id)! } : null,
        createdAt: r.createdAt.toISOString(),
        resolution: r.resolution,
        resolutionNote: r.resolutionNote,
        resolvedAt: r.resolvedAt?.toISOString() ?? null,
      };
    });
  }

  /** The content of a page of entries: one query per kind of content on the page. */
  private async contents(items: ItemRow[]): Promise<Map<string, ContentForReview>> {
    const byType = new Map<ModeratedType, string[]>();
    for (const r of items) byType.set(r.targetType, [...(byType.get(r.targetType) ?? []), r.targetId]);
    const out = new Map<string, ContentForReview>();
    for (const [type, ids] of byType) {
      const loaded = type === 'user' ? await this.userTargets(ids) : await this.registry.get(type).loadMany(ids);
      for (const c of loaded) out.set(`${type}:${c.targetId}`, c);
    }
    return out;
  }

  private async userTargets(ids: string[]): Promise<ContentForReview[]> {
    const rows = (await this.db.query(
      `SELECT id, bio, created_at AS "createdAt" FROM users WHERE id = ANY($1::bigint[])`,
      [ids],
    )) as Array<{ id: string; bio: string; createdAt: Date }>;
    return rows.map((u) => ({
      targetType: 'user',
      targetId: u.id,
      authorId: u.id,
      status: 'published',
      anonymous: false,
      body: u.bio,
      createdAt: u.createdAt,
    }));
  }

  /** The care conversations moderators opened from the page's entries: one query a page. */
  private async reachOuts(items: ItemRow[]): Promise<Map<string, string>> {
    const rows = (await this.db.query(
      `SELECT item_id::text AS "itemId", conversation_id::text AS "conversationId" FROM reach_outs
        WHERE item_id = ANY($1::bigint[]) AND conversation_id IS NOT NULL`,
      [items.map((r) => r.id)],
    )) as Array<{ itemId: string; conversationId: string }>;
    return new Map(rows.map((r) => [r.itemId, r.conversationId]));
  }

  /**
   * The words and phrases of the watched word rules the entries name, for moderators to read ("end it all" rather
   * than "rule #12"): one query a page, always run. A rule removed since is left out (its number still shows).
   */
  private async watchedPhrases(items: ItemRow[]): Promise<Map<string, string>> {
    const ids = [...new Set(items.flatMap((r) => r.gateReasons.flatMap((g) => g.ruleIds ?? [])))];
    const rows = (await this.db.query(
      `SELECT id::text AS id, pattern FROM watched_words WHERE id = ANY($1::bigint[])`,
      [ids],
    )) as Array<{ id: string; pattern: string }>;
    return new Map(rows.map((w) => [w.id, w.pattern]));
  }

  /** Each author's standing and last ten sanctions: two queries for the whole page. */
  private async authorHistories(userIds: string[]) {
    const users = (await this.db.query(
      `SELECT id, username, display_name AS "displayName", role, post_count AS "approvedPosts",
              created_at AS "joinedAt", first_approved_at IS NULL AS "newMember"
         FROM users WHERE id = ANY($1::bigint[])`,
      [userIds],
    )) as Array<{
      id: string;
      username: string;
      displayName: string;
      role: string;
      approvedPosts: number;
      joinedAt: Date;
      newMember: boolean;
    }>;
    const sanctions = (await this.db.query(
      `SELECT "userId", kind, reason, "createdAt", until, lifted FROM (
         SELECT user_id AS "userId", kind, reason, created_at AS "createdAt", ends_at AS until,
                lifted_at IS NOT NULL AS lifted, row_number() OVER (PARTITION BY user_id ORDER BY id DESC) AS n
           FROM sanctions WHERE user_id = ANY($1::bigint[])) s
        WHERE n <= 10 ORDER BY "userId", n`,
      [userIds],
    )) as Array<{
      userId: string;
      kind: string;
      reason: string;
      createdAt: Date;
      until: Date | null;
      lifted: boolean;
    }>;
    return new Map(
      users.map(({ id, ...user }) => [
        id,
        {
          ...user,
          joinedAt: user.joinedAt.toISOString(),
          sanctions: sanctions
            .filter((s) => s.userId === id)
            .map((s) => ({
              kind: s.kind,
              reason: s.reason,
              lifted: s.lifted,
              createdAt: s.createdAt.toISOString(),
              until: s.until?.toISOString() ?? null,
            })),
        },
      ]),
    );
  }
}

/** A gate reason with the phrases of its watched word rules, for moderators only (authors never see the list). */
function withPhrases(reason: GateReason, phrases: Map<string, string>): GateReason {
  if (!reason.ruleIds?.length) return reason;
  const words = reason.ruleIds.map((id) => phrases.get(String(id))).filter((p): p is string => p !== undefined);
  return { ...reason, phrases: words };
}
