/**
 * Folding and words, for the watched-words matcher (see watched-words-matcher.ts for the rules): a text is folded
 * (compatibility forms, case, accents, invisible characters) and split into the words that patterns are compared
 * with, in one pass, keeping each word's offset in the text as given.
 */
const STRIPPED = /[\p{M}\p{Default_Ignorable_Code_Point}]/gu;
const WORD_RUN = /[\p{L}\p{N}]+/gu;
const NON_WORD_RUN = /[^\p{L}\p{N}]+/gu;

/** Case, accents, compatibility forms, invisible characters; punctuation and spacing are kept. */
function fold(text: string): string {
  return (
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(STRIPPED, '')
      // toLowerCase picks the final form of sigma by context; fold it away so a word is the same anywhere.
      .replace(/ς/g, 'σ')
      .replace(/ß/g, 'ss')
      // Curly apostrophes and the modifier letter apostrophe (a letter to Unicode) are apostrophes, so separators.
      .replace(/[\u2018\u2019\u201b\u02bc]/g, "'")
  );
}

/**
 * The words of a text as the matcher sees them, joined by single spaces: "Kill   MYSELF!!" -> "kill myself",
 * "End-it... ALL" -> "end it all", "Kíll" -> "kill". Two patterns with the same normalisation (and the same
 * trailing "*", if any) match exactly the same texts.
 */
export function normalizeForMatching(text: string): string {
  return (fold(text).match(WORD_RUN) ?? []).join(' ');
}

// The matcher folds a text one code point at a time and keeps each word's offset in the original text; that equals
// folding the whole text at once because NFKD, lower-casing (but for the final sigma, folded away above) and
// stripping are all per code point, and the only characters that canonical reordering moves are marks, which are
// stripped (the spec checks every code point). Each BMP code unit is classified once, lazily:
const UNKNOWN = 0;
/** Folds to itself, a letter or digit: "a", "7", "é" is not one (it folds to "e"). */
const WORD = 1;
/** Folds to its own toLowerCase(), a single letter: "A", "Ж". Never "Σ", whose lower case depends on context. */
const LOWER = 2;
/** Folds to no letter or digit: space, punctuation, symbols. */
const SEPARATOR = 3;
/** Folds to nothing at all: combining marks, zero-width characters; a word goes on across them. */
const IGNORABLE = 4;
/** Anything else: its fold, with each run of non-word characters as one space, is in EXPLICIT_FOLDS. */
const EXPLICIT = 5;
/** A UTF-16 surrogate: folded per code point, through the astral cache (or a separator, if lone). */
const SURROGATE = 6;

const KINDS = new Uint8Array(0x10000);
const EXPLICIT_FOLDS = new Map<number, string>();
const ASTRAL_FOLDS = new Map<number, string>();
const ASTRAL_FOLDS_LIMIT = 4096;

function foldToWordString(char: string): string {
  return fold(char).replace(NON_WORD_RUN, ' ');
}

function classify(code: number): number {
  const char = String.fromCharCode(code);
  const folded = foldToWordString(char);
  const lower = char.toLowerCase();
  let kind: number;
  if (folded === '') kind = IGNORABLE;
  else if (folded === ' ') kind = SEPARATOR;
  else if (folded === char && lower === char) kind = WORD;
  else if (folded.length === 1 && folded === lower && code !== 0x3a3) kind = LOWER;
  else {
    kind = EXPLICIT;
    EXPLICIT_FOLDS.set(code, folded);
  }
  KINDS[code] = kind;
  return kind;
}

function astralFold(codePoint: number): string {
  let folded = ASTRAL_FOLDS.get(codePoint);
  if (folded === undefined) {
    if (ASTRAL_FOLDS.size >= ASTRAL_FOLDS_LIMIT) ASTRAL_FOLDS.clear();
    folded = foldToWordString(String.fromCodePoint(codePoint));
    ASTRAL_FOLDS.set(codePoint, folded);
  }
  return folded;
}

for (let code = 0xd800; code <= 0xdfff; code++) KINDS[code] = SURROGATE;

/** A text's words, as in normalizeForMatching, each with the UTF-16 offset in `text` of the code point it starts in. */
export interface TextWords {
  words: string[];
  starts: number[];
}

/** Splits a text into the words that the matcher compares (see normalizeForMatching), keeping their offsets. */
export function wordsForMatching(text: string): TextWords {
  const words: string[] = [];
  const starts: number[] = [];
  const n = text.length;
  let word = ''; // the current word, folded, but for the pending run
  let wordStart = -1; // offset of the current word, -1 between words
  let runStart = -1; // start of the pending run of WORD and LOWER code units, -1 if none
  let runLower = false; // whether that run needs toLowerCase()
  for (let i = 0; i < n;) {
    const code = text.charCodeAt(i);
    let kind = KINDS[code];
    if (kind === UNKNOWN) kind = classify(code);
    if (kind === WORD || kind === LOWER) {
      if (runStart < 0) {
        runStart = i;
        if (wordStart < 0) wordStart = i;
      }
      if (kind === LOWER) runLower = true;
      i++;
      continue;
    }
    if (runStart >= 0) {
      const run = text.slice(runStart, i);
      word += runLower ? run.toLowerCase() : run;
      runStart = -1;
      runLower = false;
    }
    if (kind === SEPARATOR) {
      if (wordStart >= 0) {
        words.push(word);
        starts.push(wordStart);
        word = '';
        wordStart = -1;
      }
      i++;
      continue;
    }
    if (kind === IGNORABLE) {
      i++;
      continue;
    }
    let folded = ' ';
    let size = 1;
    if (kind === EXPLICIT) folded = EXPLICIT_FOLDS.get(code) as string;
    else if (code <= 0xdbff && i + 1 < n) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        folded = astralFold((code - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000);
        size = 2;
      }
    }
    for (let k = 0; k < folded.length; k++) {
      if (folded.charCodeAt(k) === 32) {
        if (wordStart >= 0) {
          words.push(word);
          starts.push(wordStart);
          word = '';
          wordStart = -1;
        }
      } else {
        if (wordStart < 0) wordStart = i;
        word += folded[k];
      }
    }
    i += size;
  }
  if (runStart >= 0) {
    const run = text.slice(runStart);
    word += runLower ? run.toLowerCase() : run;
  }
  if (wordStart >= 0) {
    words.push(word);
    starts.push(wordStart);
  }
  return { words, starts };
}
