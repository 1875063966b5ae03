import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hasRole } from '../common/auth/principal';
import type { Role } from '../common/auth/role';
import type { Approval } from './content-policy';

export type ContentKind = 'thread' | 'post' | 'comment' | 'chat_message';
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
}

export interface PublishingDecision {
  status: 'published' | 'pending';
  /** Why it waits, or why moderators should look anyway, in words a moderator reads in the queue. */
  reasons: string[];
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

/**
 * The one door to publishing: every new or edited thread, post, comment or chat message passes here, and this
 * decides `published` or `pending`. Pre-moderation is built in; moderation adds its rules (watched words) with
 * `register`, so content never imports moderation and the gate stays the only place the decision is made.
 */
@Injectable()
export class PublishingGate {
  private readonly rules: PublishingRule[] = [];

  constructor(private readonly db: DataSource) {}

  register(rule: PublishingRule): void {
    if (!this.rules.some((r) => r.name === rule.name)) this.rules.push(rule);
  }

  async decide(request: PublishingRequest): Promise<PublishingDecision> {
    const context = await this.context(request);
    const decision: PublishingDecision = { status: 'published', reasons: [], review: false };
    for (const outcome of [preModeration(request, context), ...(await this.evaluateRules(request, context))]) {
      if (!outcome) continue;
      if (outcome.status === 'pending') decision.status = 'pending';
      if (outcome.review) decision.review = true;
      if (outcome.crisis) decision.crisis = true;
      if (outcome.reasons) decision.reasons.push(...outcome.reasons);
      if (outcome.notice) decision.notice = outcome.notice;
    }
    return decision;
  }

  private async evaluateRules(request: PublishingRequest, context: PublishingContext) {
    const outcomes: Array<Partial<PublishingDecision> | void> = [];
    for (const rule of this.rules) outcomes.push(await rule.evaluate(request, context));
    return outcomes;
  }

  private async context(request: PublishingRequest): Promise<PublishingContext> {
    if ('guest' in request.author) return { isNewMember: true, isModerator: false };
    return {
      isNewMember: await this.isNewMember(request.author),
      isModerator: hasRole(request.author, 'moderator'),
    };
  }

  /** A new member is one with nothing approved yet; moderators and admins never are. */
  async isNewMember(author: { id: string; role: Role }): Promise<boolean> {
    if (hasRole(author, 'moderator')) return false;
    const rows = (await this.db.query(`SELECT first_approved_at IS NULL AS "isNew" FROM users WHERE id = $1`, [
      author.id,
    ])) as Array<{ isNew: boolean }>;
    return rows[0]?.isNew ?? true;
  }
}

/** The place's approval policy applies to new content; an edit keeps its status (rules may still hold it). */
function preModeration(request: PublishingRequest, context: PublishingContext): Partial<PublishingDecision> | void {
  if (request.action !== 'create' || context.isModerator) return;
  if (request.approval === 'all') return { status: 'pending', reasons: ['this place requires approval of every post'] };
  if (request.approval === 'new_members' && context.isNewMember) {
    return { status: 'pending', reasons: ['new member: first posts wait for a moderator'] };
  }
}
