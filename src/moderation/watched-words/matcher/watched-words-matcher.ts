/**
 * Watched words: whole words and phrases that moderators want to block, hold, flag, or treat as a crisis.
 *
 * Matching works on a sequence of words, never on raw characters:
 *  - the text is folded: compatibility decomposition (NFKD: "ﬁ" -> "fi", "²" -> "2", full-width -> ASCII),
 *    lower case, combining marks removed ("kíll" -> "kill"), invisible default-ignorable characters removed
 *    (zero-width space, soft hyphen: "ki\u200Bll" -> "kill"), "ς" -> "σ" and "ß" -> "ss";
 *  - a word is a maximal run of letters and digits (\p{L}\p{N}) of the folded text; everything else (spaces,
 *    punctuation, apostrophes, hyphens, emoji) only separates words, and how much of it there is never matters;
 *  - a pattern is folded and split the same way, so "kill myself" matches "Kill   MYSELF!!", "kill-myself" and
 *    "kíll myself", but "kill" matches neither "skill" nor "killer" (whole words), unless it is "kill*";
 *  - a trailing "*" makes the pattern's last word a prefix: "overdos*" matches "overdose", "overdosing".
 * Apostrophes separate words like any punctuation: "can't" matches "can't", "can’t" and "can t", not "cant"
 * (add "cant" as its own pattern), and "doctor" matches "doctor's".
 *
 * Patterns are never regular expressions: nothing a moderator types can make matching slow. One matcher is compiled
 * for the whole list (a trie keyed by whole words), and a text is folded and split in one pass, then each of its
 * word positions is looked up in the trie: linear in the text, whatever the number of patterns.
 *
 * Folding a text into words lives in matching-words.ts; this file compiles patterns and matches them.
 */
import { normalizeForMatching, wordsForMatching } from './matching-words';

export { normalizeForMatching, wordsForMatching, type TextWords } from './matching-words';

export type WatchedAction = 'block' | 'hold' | 'flag' | 'crisis';

export interface WatchedWord {
  id: string;
  pattern: string;
  action: WatchedAction;
}

/** One occurrence of a watched word: `index` is the UTF-16 offset, in the text as given, of its first word. */
export interface WatchedWordMatch {
  word: WatchedWord;
  index: number;
}

export const WATCHED_PATTERN_MAX_LENGTH = 100;

/**
 * Severity, highest first: crisis > block > hold > flag.
 *
 * Crisis outranks block on purpose. A person writing "I want to end it all" in a post that also holds a blocked
 * word must not be silenced without help: the crisis outcome shows them support resources and raises an urgent
 * alert at the top of the moderators' queue, who then see the blocked word as well (every match is in `match()`).
 * Blocking first would drop the post and the person with it. The cost, spam that adds a crisis phrase to slip
 * past a block, is bounded by that urgent human review.
 */
const SEVERITY: Readonly<Record<WatchedAction, number>> = { flag: 1, hold: 2, block: 3, crisis: 4 };

// ---------------------------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------------------------

// A word is letters and digits, each with any combining marks (accents typed decomposed, Indic vowel signs);
// words are joined by one space, apostrophe or hyphen; an optional "*" ends the pattern.
const PATTERN_SHAPE = /^(?:[\p{L}\p{N}]\p{M}*)+(?:[ '\u2019\-\u2010\u2011](?:[\p{L}\p{N}]\p{M}*)+)*\*?$/u;
const REGEX_SYNTAX = /[.+?^$()[\]{}|\\]|\*(?!$)/;
const MISPLACED_STAR = /^\*|[\s'\u2019\-\u2010\u2011]\*$/u;

interface CompiledPattern {
  /** The pattern's words, folded; the last one is a prefix when `prefix`. */
  tokens: string[];
  prefix: boolean;
}

function compilePattern(pattern: string): CompiledPattern {
  const trimmed = pattern.trim();
  const prefix = trimmed.endsWith('*');
  const body = normalizeForMatching(prefix ? trimmed.slice(0, -1) : trimmed);
  return { tokens: body === '' ? [] : body.split(' '), prefix };
}

function codePointCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff || i + 1 === text.length) count++;
    else {
      const low = text.charCodeAt(i + 1);
      if (low < 0xdc00 || low > 0xdfff) count++;
    }
  }
  return count;
}

/**
 * Why a watched-word pattern is refused, or undefined if it is fine. A pattern is a word or a phrase of 1 to 100
 * characters (after trimming): letters and digits of any script, words joined by single spaces, apostrophes or
 * hyphens, at least 2 letters or digits in all, and an optional trailing "*" for "any word starting with"
 * ("overdos*"). No other syntax: regular expressions are refused, not escaped.
 */
export function validatePattern(pattern: string): string | undefined {
  const trimmed = pattern.trim();
  if (trimmed === '') return 'Enter a word or phrase.';
  if (trimmed.length > WATCHED_PATTERN_MAX_LENGTH && codePointCount(trimmed) > WATCHED_PATTERN_MAX_LENGTH)
    return `Use at most ${WATCHED_PATTERN_MAX_LENGTH} characters.`;
  if (!PATTERN_SHAPE.test(trimmed)) {
    if (trimmed === '*' || MISPLACED_STAR.test(trimmed))
      return 'Put the * right after the start of a word, as in overdos*: on its own it would match every word.';
    if (REGEX_SYNTAX.test(trimmed))
      return 'Regular expressions are not accepted: use plain words, and * only at the end (as in overdos*).';
    return 'Use letters and digits, with single spaces, apostrophes or hyphens between words, and an optional * at the end.';
  }
  const { tokens } = compilePattern(trimmed);
  let letters = 0;
  for (const token of tokens) letters += codePointCount(token);
  if (letters < 2) return 'Use at least 2 letters or digits.';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The matcher
// ---------------------------------------------------------------------------------------------------------------

interface Entry {
  word: WatchedWord;
  /** Position in the constructor's list: ties at one text position are reported in list order. */
  ordinal: number;
}

class TrieNode {
  /** Phrases going on with one more whole word. */
  readonly next = new Map<string, TrieNode>();
  /** Patterns that end here. */
  ends: Entry[] | undefined;
  /** Patterns whose last word is a prefix, following this node's words: by prefix, and their distinct lengths. */
  prefixes: Map<string, Entry[]> | undefined;
  prefixLengths: number[] | undefined;
}

function byOrdinal(a: Entry, b: Entry): number {
  return a.ordinal - b.ordinal;
}

/**
 * All the watched words of a site, compiled once. `match` and `strongest` take time linear in the text (a few
 * map look-ups per word of it), however long the list.
 *
 * Words whose pattern or action is invalid are left out and listed in `invalid` rather than thrown on: one bad
 * row must not switch crisis detection off for the whole site. `size` counts the words compiled.
 */
export class WatchedWordsMatcher {
  readonly size: number;
  readonly invalid: ReadonlyArray<{ word: WatchedWord; problem: string }>;
  private readonly root = new TrieNode();

  constructor(words: readonly WatchedWord[]) {
    const invalid: Array<{ word: WatchedWord; problem: string }> = [];
    let size = 0;
    words.forEach((word, ordinal) => {
      const problem = Object.prototype.hasOwnProperty.call(SEVERITY, word.action)
        ? validatePattern(word.pattern)
        : `Unknown action ${JSON.stringify(word.action)}.`;
      if (problem !== undefined) {
        invalid.push({ word, problem });
        return;
      }
      this.add(compilePattern(word.pattern), { word, ordinal });
      size++;
    });
    this.size = size;
    this.invalid = invalid;
  }

  private add({ tokens, prefix }: CompiledPattern, entry: Entry): void {
    let node = this.root;
    const whole = prefix ? tokens.length - 1 : tokens.length;
    for (let i = 0; i < whole; i++) {
      let child = node.next.get(tokens[i]);
      if (child === undefined) {
        child = new TrieNode();
        node.next.set(tokens[i], child);
      }
      node = child;
    }
    if (!prefix) {
      (node.ends ??= []).push(entry);
      return;
    }
    const last = tokens[tokens.length - 1];
    node.prefixes ??= new Map();
    node.prefixLengths ??= [];
    const same = node.prefixes.get(last);
    if (same !== undefined) same.push(entry);
    else node.prefixes.set(last, [entry]);
    if (!node.prefixLengths.includes(last.length)) {
      node.prefixLengths.push(last.length);
      node.prefixLengths.sort((a, b) => a - b);
    }
  }

  /**
   * Every occurrence of every watched word in the text, ordered by position, then by the words' order in the
   * list. Overlapping occurrences are all reported ("kill" and "kill myself" both match "kill myself").
   */
  match(text: string): WatchedWordMatch[] {
    const out: WatchedWordMatch[] = [];
    if (this.size === 0) return out;
    const { words, starts } = wordsForMatching(text);
    const n = words.length;
    const found: Entry[] = [];
    for (let i = 0; i < n; i++) {
      let node = this.root;
      let j = i;
      for (;;) {
        const word = words[j];
        const lengths = node.prefixLengths;
        if (lengths !== undefined) {
          const prefixes = node.prefixes as Map<string, Entry[]>;
          for (let k = 0; k < lengths.length; k++) {
            const length = lengths[k];
            if (length > word.length) break;
            const entries = prefixes.get(length === word.length ? word : word.slice(0, length));
            if (entries !== undefined) for (let e = 0; e < entries.length; e++) found.push(entries[e]);
          }
        }
        const child = node.next.get(word);
        if (child === undefined) break;
        const ends = child.ends;
        if (ends !== undefined) for (let e = 0; e < ends.length; e++) found.push(ends[e]);
        if (++j === n) break;
        node = child;
      }
      if (found.length === 0) continue;
      if (found.length > 1) found.sort(byOrdinal);
      const index = starts[i];
      for (let e = 0; e < found.length; e++) out.push({ word: found[e].word, index });
      found.length = 0;
    }
    return out;
  }

  /**
   * The most severe action the text calls for (crisis > block > hold > flag, see SEVERITY for why crisis comes
   * first) and the distinct watched words with that action, in order of first occurrence; undefined if none match.
   */
  strongest(text: string): { action: WatchedAction; words: WatchedWord[] } | undefined {
    let action: WatchedAction | undefined;
    let words = new Set<WatchedWord>();
    for (const { word } of this.match(text)) {
      if (action === undefined || SEVERITY[word.action] > SEVERITY[action]) {
        action = word.action;
        words = new Set([word]);
      } else if (word.action === action) words.add(word);
    }
    return action === undefined ? undefined : { action, words: [...words] };
  }
}
