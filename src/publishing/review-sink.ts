import type { EntityManager } from 'typeorm';
import type { ModeratedType } from './content-registry';

/** What put content in front of moderators: one vocabulary, so pages map codes to words and never read English. */
export type ReasonCode = 'crisis' | 'watched' | 'approval' | 'spam';

export interface GateReason {
  code: ReasonCode;
  /** crisis, watched: the watched word rules that matched. */
  ruleIds?: string[];
  /**
   * crisis, watched: the matched rules' words or phrases as the admins typed them. Never stored: the moderators'
   * queue adds them when it reads an entry (authors are never shown the list).
   */
  phrases?: string[];
  /** watched: what the matched rules do (crisis words beside blocked ones are held with action `hold`). */
  action?: 'hold' | 'flag';
  /** approval: the place holds every post (`all`), a new member's (`new_member`), or a guest's (`guest`). */
  policy?: 'all' | 'new_member' | 'guest';
  /** spam: which signal; `count` is the links, or the seconds of a too-fast form. */
  signal?: 'honeypot' | 'too_fast' | 'links';
  count?: number;
}

/** A reason as the API's `heldReason` and `reasons` strings have always read (for clients; pages use the codes). */
export function reasonText(r: GateReason): string {
  const rules = (r.ruleIds ?? []).map((id) => `#${id}`).join(', ');
  switch (r.code) {
    case 'crisis':
      return `crisis words: rule ${rules}`;
    case 'watched':
      return `watched word (${r.action ?? 'hold'}): rule ${rules}`;
    case 'approval':
      if (r.policy === 'guest') return 'guest comment';
      if (r.policy === 'all') return 'this place requires approval of every post';
      return 'new member: first posts wait for a moderator';
    case 'spam':
      if (r.signal === 'honeypot') return 'spam signal: the hidden form field was filled in';
      if (r.signal === 'too_fast') return `spam signal: sent within ${r.count ?? 0} s of its form being shown`;
      return `spam signal: ${r.count ?? 0} links`;
  }
}

/** One entry for the moderation queue, written in the same transaction as the content it is about. */
export interface ReviewItem {
  targetType: ModeratedType;
  targetId: string;
  /** Held (not visible, or an edit waiting) rather than only flagged. */
  held: boolean;
  crisis: boolean;
  reasons: GateReason[];
}

/**
 * Where the gate records what moderators must look at. Moderation's queue implements it and registers itself at
 * start-up (content never imports moderation); `record` runs on the content's own transaction, so held content and
 * its queue entry commit or roll back together. Returns the queue entry's id.
 */
export interface ReviewSink {
  record(m: EntityManager, item: ReviewItem): Promise<string>;
}
