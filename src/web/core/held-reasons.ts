import type { GateReason } from '../../publishing/review-sink';

/** A reason the gate gave, in words for a page: what kind, a label, the words, and the watched word rules named. */
export interface HeldReasonWords {
  kind: 'crisis' | 'watched' | 'spam' | 'policy';
  label: string;
  text: string;
  /** Watched word rule ids named by the reason (admins get links to them). */
  rules: string[];
}

const APPROVAL_WORDS: Record<NonNullable<GateReason['policy']>, string> = {
  all: 'this place requires approval of every post',
  new_member: 'new member: first posts wait for a moderator',
  guest: 'guest comment',
};

/** The gate's reasons, by code, in words for moderators and authors: pages never read the API's English text. */
export function heldReasonWords(r: GateReason): HeldReasonWords {
  const rules = r.ruleIds ?? [];
  const named = rules.map((id) => `#${id}`).join(', ');
  switch (r.code) {
    case 'crisis':
      return {
        kind: 'crisis',
        label: 'Possible crisis',
        text: r.phrases?.length
          ? `Matched crisis ${r.phrases.length === 1 ? 'phrase' : 'phrases'}: ${quoted(r.phrases)}`
          : `Matched a crisis phrase (rule ${named})`,
        rules,
      };
    case 'watched':
      return {
        kind: 'watched',
        label: 'Watched word',
        text: `watched word (${r.action ?? 'hold'}): rule ${named}`,
        rules,
      };
    case 'spam': {
      const text =
        r.signal === 'honeypot'
          ? 'the hidden form field was filled in'
          : r.signal === 'too_fast'
            ? `sent within ${r.count ?? 0} s of the form being shown`
            : `${r.count ?? 0} links`;
      return { kind: 'spam', label: 'Spam signal', text, rules: [] };
    }
    default:
      return { kind: 'policy', label: 'Held for approval', text: APPROVAL_WORDS[r.policy ?? 'new_member'], rules: [] };
  }
}

/** Phrases in curly quotes, joined by commas: “end it all”, “no way out”. */
const quoted = (phrases: string[]) => phrases.map((p) => `\u201c${p}\u201d`).join(', ');

/** Several reasons as one sentence's worth of words. */
export const heldReasonSentence = (reasons: GateReason[]): string =>
  reasons.map((r) => heldReasonWords(r).text).join('; ');
