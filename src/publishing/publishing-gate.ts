import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { hasRole } from '../common/auth/principal';
import { EVENTS } from '../common/events';
import { plainTextExcerpt } from '../common/markdown/markdown';
import { TypedEvents } from '../common/typed-events';
import type { Role } from '../common/auth/role';
import type { Approval } from './content-policy';
import type { SqlParams } from '../common/sql/sql-params';
import type { ModeratedType } from './content-registry';
import { type PublicationInStatement, Publications, type PublishedType } from './publications';
import { type GateReason, reasonText, type ReviewSink } from './review-sink';

export type ContentKind = 'thread' | 'post' | 'comment' | 'chat_message' | 'conversation_message';
export type { Approval } from './content-policy';

/** What content asks before it is published. */
export interface PublishingRequest {
  kind: ContentKind;
  action: 'create' | 'edit';
  author: { id: string; role: Role } | { guest: true };
  /** Everything the reader will see: a thread's title and body, a post's body. */
  text: string;
  /** The place's pre-moderation policy (a category's, the comments', a chat room's). */
  approval: Approval;
  /** Signals the feature saw itself (spam signals of a comment form): each holds the content. */
  signals?: GateReason[];
  /**
   * Whether the author is a new member, when the caller read it already with its own context (`newMemberSql`), so
   * the gate does not ask again. Moderators are never new, whatever this says.
   */
  isNewMember?: boolean;
}

export interface PublishingDecision {
  status: 'published' | 'pending';
  /** Why it waits, or why moderators should look anyway. */
  reasons: GateReason[];
  /** Published, but queued for a moderator's look (watched words `flag` and `crisis`). */
  review: boolean;
  /** Crisis words: queued first, moderators alerted, support resources for the author. */
  crisis?: boolean;
  /** Text for the author, e.g. support resources after crisis words. */
  notice?: string;
}

/** Facts a rule may use, looked up once per request. */
export interface PublishingContext {
  isNewMember: boolean;
  isModerator: boolean;
}

/** One step of the gate. Returns nothing to pass, a partial decision to hold or flag, or throws to refuse (422). */
export interface PublishingRule {
  readonly name: string;
  evaluate(request: PublishingRequest, context: PublishingContext): Promise<Partial<PublishingDecision> | void>;
}

/** The content a decision is about, for its queue entry and a crisis alert. */
export interface ReviewTarget {
  targetType: ModeratedType;
  targetId: string;
  /** The text decided on, for the alert's excerpt. */
  text: string;
  /** New content (not an edit): when it is published, followers of new content hear of it (Publications). */
  created?: boolean;
  /** The content's own statement told them already (`publicationSql`): `record` must not tell them twice. */
  publicationWritten?: boolean;
}

/** What `record` did; `announce` after the commit sends the live effects (the crisis alert). */
export interface Recorded {
  itemId?: string;
  announce(): void;
}

/** The held reasons as one string, for the API's `heldReason` (clients read it; pages use the codes). */
export const heldReasonText = (reasons: GateReason[]): string => reasons.map(reasonText).join('; ');

/** An edit the gate held, as its author (and moderators) see it beside the published text. */
export interface PendingEditView {
  body: string;
  bodyHtml: string;
  heldReason: string;
  heldReasons: GateReason[];
  submittedAt: string;
}

/** The pending-edit columns that posts and comments share (`pending_body`, `pending_body_html`, ...). */
export interface PendingEditColumns {
  pendingBody: string | null;
  pendingBodyHtml: string | null;
  pendingReasons: GateReason[] | null;
  pendingAt: Date | null;
}

/** The held edit of a row, or undefined when none waits. */
export function pendingEditView(r: PendingEditColumns): PendingEditView | undefined {
  if (r.pendingBody === null || !r.pendingAt) return undefined;
  return {
    body: r.pendingBody,
    bodyHtml: r.pendingBodyHtml ?? '',
    heldReason: heldReasonText(r.pendingReasons ?? []),
    heldReasons: r.pendingReasons ?? [],
    submittedAt: r.pendingAt.toISOString(),
  };
}

/**
 * The one door to publishing: every new or edited thread, post, comment or chat message passes here. `decide` says
 * `published` or `pending`; `record`, on the content's own transaction, writes what moderators must see through the
 * review sink that moderation registers. Pre-moderation is built in; moderation adds its rules (watched words) with
 * `register`, so content never imports moderation and the gate stays the only place the decision is made.
 */
@Injectable()
export class PublishingGate {
  private readonly rules: PublishingRule[] = [];
  private sink?: ReviewSink;

  constructor(
    private readonly db: DataSource,
    private readonly events: TypedEvents,
    private readonly publications: Publications,
  ) {}

  register(rule: PublishingRule): void {
    if (!this.rules.some((r) => r.name === rule.name)) this.rules.push(rule);
  }

  registerSink(sink: ReviewSink): void {
    this.sink = sink;
  }

  async decide(request: PublishingRequest): Promise<PublishingDecision> {
    const context = await this.context(request);
    const decision: PublishingDecision = { status: 'published', reasons: [], review: false };
    const signals: Partial<PublishingDecision> | void = request.signals?.length
      ? { status: 'pending', reasons: request.signals }
      : undefined;
    for (const outcome of [preModeration(request, context), ...(await this.evaluateRules(request, context)), signals]) {
      if (!outcome) continue;
      if (outcome.status === 'pending') decision.status = 'pending';
      if (outcome.review) decision.review = true;
      if (outcome.crisis) decision.crisis = true;
      if (outcome.reasons) decision.reasons.push(...outcome.reasons);
      if (outcome.notice) decision.notice = outcome.notice;
    }
    return decision;
  }

  /**
   * Records a held or flagged decision in the queue, on the content's transaction `m` (so both commit or neither).
   * Call `announce()` on the answer after the commit.
   */
  async record(m: EntityManager, target: ReviewTarget, decision: PublishingDecision): Promise<Recorded> {
    const held = decision.status === 'pending';
    const type = target.targetType;
    if (target.created && !target.publicationWritten && !held && isPublishedType(type)) {
      await this.publications.published(m, { type, id: target.targetId, mailable: !decision.review });
    }
    if (!held && !decision.review) return { announce: () => undefined };
    if (!this.sink) throw new Error('No review sink is registered: held content would never reach moderators');
    const itemId = await this.sink.record(m, {
      targetType: target.targetType,
      targetId: target.targetId,
      held,
      crisis: decision.crisis ?? false,
      reasons: decision.reasons,
    });
    return {
      itemId,
      announce: () => {
        if (!decision.crisis) return;
        this.events.emit(EVENTS.moderationAlert, {
          kind: 'crisis',
          itemId,
          targetType: target.targetType,
          targetId: target.targetId,
          excerpt: plainTextExcerpt(target.text, 160),
        });
      },
    };
  }

  /**
   * What `record` tells followers of new content, for a caller that writes new content in one statement (a reply):
   * their statements as data-modifying CTEs of that statement, which then commit together without a transaction.
   * `idSql` is the content's id there (e.g. `SELECT id FROM post`), `place` where it appears when known. Nothing for
   * held content. A decision that also needs `record` (held, flagged) passes `publicationWritten` to it.
   */
  publicationSql(
    params: SqlParams,
    target: { targetType: ModeratedType; idSql: string; place?: PublicationInStatement['place'] },
    decision: PublishingDecision,
  ): string[] {
    const type = target.targetType;
    if (decision.status === 'pending' || !isPublishedType(type)) return [];
    const { idSql, place } = target;
    return this.publications.statements(params, { type, idSql, place, mailable: !decision.review });
  }

  /** Whether `record` has anything to write for this decision (a queue entry), beyond telling followers. */
  needsRecord(decision: PublishingDecision): boolean {
    return decision.status === 'pending' || decision.review;
  }

  private async evaluateRules(request: PublishingRequest, context: PublishingContext) {
    const outcomes: Array<Partial<PublishingDecision> | void> = [];
    for (const rule of this.rules) outcomes.push(await rule.evaluate(request, context));
    return outcomes;
  }

  private async context(request: PublishingRequest): Promise<PublishingContext> {
    if ('guest' in request.author) return { isNewMember: true, isModerator: false };
    const moderator = hasRole(request.author, 'moderator');
    return {
      isNewMember: moderator ? false : (request.isNewMember ?? (await this.isNewMember(request.author))),
      isModerator: moderator,
    };
  }

  /** A new member is one with nothing approved yet; moderators and admins never are. */
  async isNewMember(author: { id: string; role: Role }): Promise<boolean> {
    if (hasRole(author, 'moderator')) return false;
    const rows = (await this.db.query(`SELECT ${newMemberSql('users')} AS "isNew" FROM users WHERE id = $1`, [
      author.id,
    ])) as Array<{ isNew: boolean }>;
    return rows[0]?.isNew ?? true;
  }
}

/**
 * The one definition of a new member (nothing approved yet), on the users row `alias`, for a feature that reads it
 * with its own context in one query; moderators are never new (the caller's role check, as in `isNewMember`).
 */
export const newMemberSql = (alias: string): string => `${alias}.first_approved_at IS NULL`;

const isPublishedType = (type: ModeratedType): type is PublishedType =>
  type === 'thread' || type === 'post' || type === 'comment';

/**
 * The place's approval policy, for new content and edits alike (an edit held here keeps the published version
 * visible until a moderator approves it): `all` holds every member's, `new_members` a new member's or a guest's;
 * moderators are never held.
 */
function preModeration(request: PublishingRequest, context: PublishingContext): Partial<PublishingDecision> | void {
  if (context.isModerator) return;
  if (request.approval === 'all') return { status: 'pending', reasons: [{ code: 'approval', policy: 'all' }] };
  if (request.approval === 'new_members' && context.isNewMember) {
    const policy = 'guest' in request.author ? 'guest' : 'new_member';
    return { status: 'pending', reasons: [{ code: 'approval', policy }] };
  }
}
