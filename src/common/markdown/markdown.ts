/**
 * Members' Markdown -> safe HTML, plus the two things other features need from a post's text: who it mentions,
 * and a short plain-text excerpt.
 *
 * Two layers, each sufficient on its own for the dangerous cases:
 *  1. `marked` (GFM, `breaks: true`) with raw HTML switched off: the `html`/`tag` tokenizers never match, so
 *     whatever a member types between angle brackets is ordinary text and comes out escaped ("<b>" shows as
 *     "<b>", which is what someone who typed it expects). Links are emitted only for absolute http(s)/mailto
 *     URLs, images become links, headings move down two levels, task-list checkboxes become ☐/☑ text.
 *  2. `sanitize-html` with a strict allowlist over marked's output (markdown-sanitize.ts), which also sets `rel`
 *     on every link and re-checks every href, so a bug or an upgrade in (1) cannot smuggle markup through.
 *
 * Allowlist decisions:
 *  - Tags: p br hr blockquote pre code em strong del s ul ol li h3-h6 a table thead tbody tr th td. Nothing else:
 *    no img (remote images leak readers' IP addresses to third parties and work as tracking pixels), no
 *    div/span, no iframe/object/embed/form/input/svg/math/style/script.
 *  - Headings: `#` renders as h3 and `##` as h4 (every level moves down two, h5 and below become h6), so a post
 *    cannot shout over the page's own h1/h2 and still keeps its internal outline.
 *  - Attributes: a[href,title,rel], ol[start], th/td[align=left|center|right], code[class=language-xyz] with
 *    xyz matching /^[a-z0-9+#-]{1,20}$/ (the info string is lower-cased first). No style, no id, no other class.
 *  - Links: only absolute `http://`, `https://` and `mailto:` URLs. Relative links are refused (rendered as
 *    their text): the same HTML is shown in the web app, in e-mails and to API clients, where a relative URL
 *    means different things, and paths like `//evil.example` or `/\evil.example` are cross-origin links dressed
 *    up as local ones; members can paste the full URL of another post instead.
 *  - Every link gets `rel="ugc nofollow noopener"` and no `target`: links open in the same tab, which is what
 *    assistive technology and the back button expect, and with no new browsing context there is no
 *    reverse-tabnabbing to defend against (`noopener` stays as belt and braces for clients that add target).
 *
 * Cost: a realistic 20,000-character post renders in about 6 ms (sanitize-html is most of it). marked 15 has
 * super-linear paths on hostile input (minutes for 20,000 characters in one case, a stack overflow in another);
 * the tokenizer overrides below bound them, so any 20,000 characters render in well under a second.
 */
import {
  Lexer,
  Marked,
  Tokenizer,
  type RendererObject,
  type Rules,
  type Token,
  type TokenizerObject,
  type TokensList,
} from 'marked';
import sanitizeHtml from 'sanitize-html';
import { SAFE_HREF, SANITIZE_OPTIONS, SITE_PATH } from './markdown-sanitize';

/** At most this many distinct usernames are returned by {@link extractMentions}. */
export const MAX_MENTIONS = 20;

const CODE_LANGUAGE = /^[a-z0-9+#-]{1,20}$/;
/** `@name` not preceded by a letter, digit or e-mail/URL character (so not `ann@example.com`, not
 *  `https://host/@name`), not running on into more name characters or into a domain (`@example.com`). */
const MENTION = /(?<![\p{L}\p{N}_.+\-@/\\:])@([A-Za-z0-9_]{3,32})(?![A-Za-z0-9_@]|\.[\p{L}\p{N}])/gu;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes every HTML-significant character (for code, where `&amp;` must show literally). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Escapes like marked does for prose: an `&` that already starts a character reference is left alone. */
function escapeText(text: string): string {
  return text.replace(/&(?!#?\w+;)|[<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** The href to emit for a member's URL, or null when it must not become a link. */
function safeHref(href: string | null | undefined): string | null {
  if (!href || !SAFE_HREF.test(href)) return null;
  try {
    // As marked does: percent-encode spaces, quotes, control and non-ASCII characters, keep existing escapes.
    return escapeText(encodeURI(href).replace(/%25/g, '%'));
  } catch {
    return null; // lone surrogate: encodeURI throws URIError
  }
}

/** marked's own tokenizers, for the overrides below that wrap them rather than replace them. */
const builtIn = Tokenizer.prototype;

/**
 * marked 15's inline link rule lets a `(title)` follow the destination with no whitespace between them, so on
 * input such as `[a](b[a](b[a](b…` every split of the rest into destination + title is tried: cubic time, several
 * minutes of blocked event loop for 20,000 characters. CommonMark requires whitespace before a title; this is
 * marked's own rule with just that separator made mandatory, which brings the worst case down to quadratic with a
 * small constant. Checked at load so an upgrade that changes the rule fails loudly instead of running unpatched.
 */
const LINK_TITLE_SEPARATOR = '(?:(?:[ \\t]*(?:\\n[ \\t]*)?)(';
const LINK_TITLE_SEPARATOR_REQUIRED = '(?:(?:[ \\t]+(?:\\n[ \\t]*)?|\\n[ \\t]*)(';
const patchedInlineRules = new WeakMap<Rules['inline'], Rules['inline']>();

function withLinkRulePatched(inline: Rules['inline']): Rules['inline'] {
  let patched = patchedInlineRules.get(inline);
  if (patched === undefined) {
    const source = inline.link.source;
    if (!source.includes(LINK_TITLE_SEPARATOR)) throw new Error('marked link rule changed: review the link patch');
    const link = new RegExp(source.replace(LINK_TITLE_SEPARATOR, LINK_TITLE_SEPARATOR_REQUIRED), inline.link.flags);
    patched = { ...inline, link };
    patchedInlineRules.set(inline, patched);
    patchedInlineRules.set(patched, patched);
  }
  return patched;
}
withLinkRulePatched(Lexer.rules.inline.breaks); // fail at load, not on the first post, if the rule changed

/** Blockquotes and lists nested deeper than this are left as text: marked recurses once per level, and enough
 *  levels (`> > > …`) overflow the stack. */
const MAX_BLOCK_NESTING = 16;

/**
 * From every `*`, `_`, `~` or backtick that could open a span, marked scans ahead for the closing delimiter, to
 * the end of the paragraph when there is none: quadratic, and several seconds for a 20,000-character paragraph of
 * `*a **a `. Each scan looks at most INLINE_SPAN_WINDOW characters ahead (a span must close within that), and a
 * document gets SPAN_SCAN_BUDGET characters of scanning in all; once spent, the remaining delimiters are shown as
 * typed. Real posts use a small fraction of it: matched spans cost their own length, unmatched ones the rest of
 * their paragraph.
 */
const INLINE_SPAN_WINDOW = 5_000;
const SPAN_SCAN_BUDGET = 1_000_000;
const EM_STRONG_OPENER = /^(?:\*+[^\s*]|_+[^\s_])/;
const DEL_OPENER = /^~~?[^\s~]/;
const ALPHANUMERIC = /[\p{L}\p{N}]/u;

/**
 * marked's text rule, and the e-mail half of its bare-URL rule, look ahead at every position along the whole run of
 * characters that could be the local part of an e-mail address: quadratic on a long run (`_a_a_a…`, 20,000
 * characters). They are given at most LOOKAHEAD_WINDOW characters (an e-mail address has at most 254), cut at
 * whitespace when there is some; text simply comes in more pieces, which marked merges.
 */
const LOOKAHEAD_WINDOW = 256;
const URL_START = /^(?:https?:\/\/|ftp:\/\/|www\.)/i;
/** The first character of an e-mail address's local part, in marked's bare-URL rule. */
const EMAIL_START = /^[A-Za-z0-9._+-]/;
/** `<` that cannot open an autolink (`<scheme:…>`, `<name@host>`): marked's text rule stops before every `<`, so a
 *  long run of them was one token (and one pass over every tokenizer) per character. */
const INERT_ANGLES = /^(?:<(?![A-Za-z0-9.!#$%&'*+/=?_`{|}~-]))+/;

/** Per-document state, reset by {@link lex}; rendering is synchronous, so documents never interleave. */
let blockDepth = 0;
let spanScanBudget = SPAN_SCAN_BUDGET;
/** The document's quoted posts and mentioned members, as the caller looked them up (renderMarkdown's `refs`). */
let refs: MarkdownRefs = {};
/** Inside a link's text, a mention stays text (no link within a link). */
let linkDepth = 0;

function nested<T>(tokenize: () => T): T | undefined {
  if (blockDepth >= MAX_BLOCK_NESTING) return undefined;
  blockDepth += 1;
  try {
    return tokenize();
  } finally {
    blockDepth -= 1;
  }
}

/** Runs marked's span tokenizer on at most `INLINE_SPAN_WINDOW` characters, charging what it scanned. */
function scanSpan<T extends { raw: string }>(src: string, tokenize: (end: number) => T | undefined): T | undefined {
  if (spanScanBudget <= 0) return undefined;
  const end = Math.min(src.length, INLINE_SPAN_WINDOW);
  const token = tokenize(end);
  spanScanBudget -= token ? token.raw.length : end;
  return token;
}

/** `src` itself when short, else its first LOOKAHEAD_WINDOW characters, cut before the last run of spaces or
 *  line breaks in them if there is one (so a trailing-spaces line break still reaches marked's `br` rule whole). */
function lookaheadWindow(src: string): string {
  if (src.length <= LOOKAHEAD_WINDOW) return src;
  const head = src.slice(0, LOOKAHEAD_WINDOW);
  let cut = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\n'));
  while (cut > 0 && (head[cut - 1] === ' ' || head[cut - 1] === '\n')) cut -= 1;
  return cut > 0 ? head.slice(0, cut) : head;
}

/**
 * What a document refers to, looked up by the caller before rendering (Markdown itself reads no database):
 *  - `quotes`: for each post id quoted as `[quote=<id>]…[/quote]`, who wrote it (`name`, "Anonymous member" for an
 *    anonymous post) and the link to it, or null when the post is no longer shown (hidden, deleted, waiting) or
 *    not readable; ids missing from the map are quoted without a name.
 *  - `members`: the lower-cased usernames of existing members; `@username` becomes a link to `/u/username` only
 *    for these, and only in prose (not in code, not in a link's text).
 */
export interface MarkdownRefs {
  quotes?: ReadonlyMap<string, { name: string; href: string } | null>;
  members?: ReadonlySet<string>;
}

/**
 * A quote of another post: `[quote=123]` on a line of its own, the quoted Markdown, then `[/quote]` on a line of its
 * own. Rendered as a blockquote whose first line says who wrote it, with a link to the post. Quotes do not nest
 * (the first `[/quote]` closes); {@link quotedForReply} leaves out the quotes inside a quoted post.
 */
const QUOTE_BLOCK = /^\[quote=(\d{1,18})\][ \t]*\n([\s\S]*?)\n?\[\/quote\][ \t]*(?:\n+|$)/;
const QUOTE_START = /^\[quote=\d/m;

interface QuoteToken {
  type: 'quote';
  raw: string;
  postId: string;
  tokens: Token[];
}

function attribution(postId: string): string {
  const source = refs.quotes?.get(postId);
  if (source === undefined) return 'Quote:';
  if (source === null) return 'From a post that is no longer shown:';
  const href = SITE_PATH.test(source.href) || SAFE_HREF.test(source.href) ? escapeText(source.href) : null;
  const words = `${escapeText(source.name)} wrote:`;
  return href ? `<a href="${href}">${words}</a>` : words;
}

/** The text with `@username` as a link for each known member (escaped like any other text). */
function withMentionLinks(text: string): string {
  const members = refs.members;
  if (!members || members.size === 0 || linkDepth > 0) return escapeText(text);
  let out = '';
  let at = 0;
  for (const match of text.matchAll(MENTION)) {
    const name = match[1].toLowerCase();
    if (!members.has(name)) continue;
    out += `${escapeText(text.slice(at, match.index))}<a href="/u/${name}">@${escapeText(match[1])}</a>`;
    at = match.index + match[0].length;
  }
  return out + escapeText(text.slice(at));
}

const tokenizer: TokenizerObject = {
  // Raw HTML is not HTML here: with these two never matching, `<b>`, `<script>`, `<!-- -->` and friends are lexed
  // as text, escaped by the text renderer, and the Markdown around them still works.
  html() {
    return undefined;
  },
  tag() {
    return undefined;
  },
  link(src) {
    // The rule is anchored on "[" or "![" and ends in a literal ")": without those there is nothing to try.
    if (!(src.startsWith('[') || src.startsWith('![')) || !src.includes(')')) return undefined;
    this.rules.inline = withLinkRulePatched(this.rules.inline);
    return false; // marked's own link tokenizer, now with the patched rule
  },
  blockquote(src) {
    return nested(() => builtIn.blockquote.call(this, src));
  },
  list(src) {
    return nested(() => builtIn.list.call(this, src));
  },
  emStrong(src, maskedSrc, prevChar = '') {
    // marked's opening rule: a run of * or _ followed by something other than whitespace or the same character;
    // and an underscore inside a word (snake_case) never opens. Neither scans, so neither is charged.
    if (!EM_STRONG_OPENER.test(src) || (src[0] === '_' && ALPHANUMERIC.test(prevChar))) return undefined;
    // maskedSrc ends with a same-length masked copy of src: cut both at the same place
    const keep = maskedSrc.length - src.length;
    return scanSpan(src, (end) =>
      builtIn.emStrong.call(this, src.slice(0, end), maskedSrc.slice(0, keep + end), prevChar),
    );
  },
  del(src) {
    if (!DEL_OPENER.test(src)) return undefined;
    return scanSpan(src, (end) => builtIn.del.call(this, src.slice(0, end)));
  },
  codespan(src) {
    if (src[0] !== '`') return undefined;
    return scanSpan(src, (end) => builtIn.codespan.call(this, src.slice(0, end)));
  },
  inlineText(src) {
    const angles = src[0] === '<' ? INERT_ANGLES.exec(src)?.[0] : undefined;
    if (angles) return { type: 'text', raw: angles, text: angles, escaped: false };
    return src.length <= LOOKAHEAD_WINDOW ? false : builtIn.inlineText.call(this, lookaheadWindow(src));
  },
  url(src) {
    // A real URL is matched in one linear pass, however long; only the e-mail alternative needs the window.
    if (src.length <= LOOKAHEAD_WINDOW || URL_START.test(src)) return false;
    if (!EMAIL_START.test(src)) return undefined; // neither a URL nor an e-mail address can start here
    const window = lookaheadWindow(src);
    const token = builtIn.url.call(this, window);
    // An "address" running on past the window is no address (at most 254 characters): leave it as text.
    return token && token.raw.length === window.length && !/\s/.test(src[window.length]) ? undefined : token;
  },
  // marked's table rule swallows every following line before it compares the header with the delimiter row, for
  // every line of a non-table that looks like one: check the first two lines alone, then let it run for real.
  table(src) {
    const firstTwoLines = /^[^\n]*\n[^\n]*/.exec(src)?.[0];
    if (firstTwoLines === undefined || firstTwoLines.length === src.length) return false;
    return builtIn.table.call(this, firstTwoLines) ? false : undefined;
  },
};

const renderer: RendererObject = {
  // Unreachable while the tokenizers above are off; escaping keeps it safe if that ever changes.
  html({ text }) {
    return escapeHtml(text);
  },
  heading({ tokens, depth }) {
    const level = Math.min(depth + 2, 6);
    return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
  },
  code({ text, lang }) {
    const language = (lang ?? '').match(/^\S*/)?.[0].toLowerCase() ?? '';
    const attr = CODE_LANGUAGE.test(language) ? ` class="language-${language}"` : '';
    return `<pre><code${attr}>${escapeHtml(text.replace(/\n$/, ''))}\n</code></pre>\n`;
  },
  checkbox({ checked }) {
    return checked ? '☑' : '☐';
  },
  text(token) {
    if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
    if ('escaped' in token && token.escaped) return token.text;
    return token.type === 'escape' ? escapeText(token.text) : withMentionLinks(token.text);
  },
  link({ href, title, tokens }) {
    linkDepth += 1;
    let text: string;
    try {
      text = this.parser.parseInline(tokens);
    } finally {
      linkDepth -= 1;
    }
    const url = safeHref(href);
    if (url === null) return text;
    return `<a href="${url}"${title ? ` title="${escapeText(title)}"` : ''}>${text}</a>`;
  },
  // No <img>: a remote image would be fetched by every reader's browser. The image becomes a link to it,
  // labelled with its alt text (or the URL when there is none); an unusable URL leaves just the alt text.
  image({ href, title, text, tokens }) {
    const alt = escapeText(tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text).trim();
    const url = safeHref(href);
    if (url === null) return alt;
    return `<a href="${url}"${title ? ` title="${escapeText(title)}"` : ''}>${alt || url}</a>`;
  },
};

const markdown = new Marked({ async: false, gfm: true, breaks: true, pedantic: false, silent: false });
markdown.use({
  tokenizer,
  renderer,
  extensions: [
    {
      name: 'quote',
      level: 'block',
      start: (src: string) => QUOTE_START.exec(src)?.index,
      tokenizer(src: string): QuoteToken | undefined {
        const match = QUOTE_BLOCK.exec(src);
        if (!match) return undefined;
        const tokens = nested(() => this.lexer.blockTokens(match[2], []));
        if (tokens === undefined) return undefined;
        return { type: 'quote', raw: match[0], postId: match[1], tokens };
      },
      renderer(token) {
        const quote = token as QuoteToken;
        return `<blockquote>\n<p>${attribution(quote.postId)}</p>\n${this.parser.parse(quote.tokens)}</blockquote>\n`;
      },
    },
  ],
});

/** Lexes one document with the per-document limits reset. */
function lex(source: string): TokensList {
  blockDepth = 0;
  spanScanBudget = SPAN_SCAN_BUDGET;
  return markdown.lexer(source);
}

/** What a post looks like when marked fails on it (say, inline nesting deep enough to overflow the stack): its
 *  text, escaped, in paragraphs, so that one odd post cannot turn a page into an error. */
function fallbackHtml(source: string): string {
  return source
    .split(/\n[ \t]*\n/)
    .map((paragraph) => `<p>${escapeHtml(paragraph.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/**
 * Renders a member's Markdown to HTML that is safe to insert into a page as is. Never throws for string input.
 */
export function renderMarkdown(text: string | LexedMarkdown, documentRefs: MarkdownRefs = {}): string {
  const source = typeof text === 'object' && text !== null ? text.source : text;
  if (typeof source !== 'string' || source.length === 0) return '';
  let html: string;
  refs = documentRefs;
  linkDepth = 0;
  try {
    html = markdown.parser(typeof text === 'object' ? tokensToRender(text) : lex(source));
  } catch {
    html = fallbackHtml(source);
  } finally {
    refs = {};
  }
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

/**
 * A member's text lexed once, with what a new post needs of it besides its HTML: who it mentions (for the links),
 * which posts it quotes, and the member's own words (without what they quote) with their mentions, for
 * notifications. Give it to {@link renderMarkdown} in place of the text: the tokens are rendered once (marked
 * changes some as it renders them, so a second rendering lexes again).
 */
export interface LexedMarkdown {
  readonly source: string;
  /** Every `@username` in prose, as {@link extractMentions} finds them. */
  readonly mentions: string[];
  /** As {@link quotedPostIds}. */
  readonly quotedIds: string[];
  /** As {@link newWords}: the text without its quotes, or the whole source when it quotes nothing. */
  readonly ownWords: string;
  /** The mentions in {@link ownWords}. */
  readonly ownMentions: string[];
  /** It quotes something (a `[quote]` block or a `>` blockquote): its HTML shows more than its own words. */
  readonly quotes: boolean;
  /** @internal the lexed tokens, for one rendering; undefined when lexing failed (everything falls back). */
  readonly tokens: TokensList | undefined;
}

const renderedTokens = new WeakSet<TokensList>();

function tokensToRender(text: LexedMarkdown): TokensList {
  if (!text.tokens || renderedTokens.has(text.tokens)) return lex(text.source);
  renderedTokens.add(text.tokens);
  return text.tokens;
}

const QUOTING = (token: Token) => token.type === 'quote' || token.type === 'blockquote';

/** Lexes a member's text once for everything {@link LexedMarkdown} holds. Never throws for string input. */
export function lexMarkdown(source: string): LexedMarkdown {
  const text = typeof source === 'string' ? source : '';
  let tokens: TokensList | undefined;
  let prose: string[];
  try {
    tokens = lex(text);
    prose = proseTexts(tokens);
  } catch {
    // As in extractMentions and newWords: when marked fails, the whole text is prose and the member's own.
    tokens = undefined;
    prose = [text];
  }
  const mentions = mentionsIn(prose);
  const quotes = tokens?.some(QUOTING) ?? false;
  const ownWords = tokens && quotes ? ownRaw(tokens) : text;
  return {
    source: text,
    mentions,
    quotedIds: quotedPostIds(text),
    ownWords,
    ownMentions: quotes ? extractMentions(ownWords) : mentions,
    quotes,
    tokens,
  };
}

/** The post ids a text quotes with `[quote=<id>]` (distinct, at most 20), for the caller to look up. */
export function quotedPostIds(source: string): string[] {
  const ids = new Set<string>();
  for (const match of source.matchAll(/^\[quote=(\d{1,18})\][ \t]*$/gm)) {
    if (ids.size >= MAX_MENTIONS) break;
    ids.add(match[1]);
  }
  return [...ids];
}

/**
 * The member's own words: the text without what it quotes (`[quote]` blocks and `>` blockquotes). Mentions and
 * notification excerpts come from these, so quoting a post that mentions someone does not call them again.
 */
export function newWords(source: string): string {
  if (typeof source !== 'string' || source.length === 0) return '';
  try {
    return ownRaw(lex(source));
  } catch {
    return source;
  }
}

function ownRaw(tokens: TokensList): string {
  return tokens
    .filter((token) => !QUOTING(token))
    .map((token) => token.raw)
    .join('');
}

/**
 * A reply's starting text when quoting a post: its Markdown inside `[quote=<id>]…[/quote]`, without the quotes it
 * held itself (quotes do not nest).
 */
export function quotedForReply(postId: string, body: string): string {
  const own = body.replace(/^\[quote=\d{1,18}\][ \t]*\n[\s\S]*?\n?\[\/quote\][ \t]*(?:\n+|$)/gm, '').trim();
  return `[quote=${postId}]\n${own}\n[/quote]\n\n`;
}

/** The leaf prose texts of a document: block-level `text` tokens carry inline children that are visited in their
 *  own right, and code spans, code blocks and escapes (`\@name`) are not prose. */
function proseTexts(tokens: TokensList): string[] {
  const texts: string[] = [];
  markdown.walkTokens(tokens, (token: Token) => {
    if (token.type === 'text' && !('tokens' in token && token.tokens)) texts.push(token.text);
  });
  return texts;
}

function mentionsIn(texts: string[]): string[] {
  const found = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(MENTION)) {
      if (found.size >= MAX_MENTIONS) return [...found];
      found.add(match[1].toLowerCase());
    }
  }
  return [...found];
}

/**
 * The distinct usernames mentioned as `@username` (3-32 of [a-z0-9_], any case in the text), lower-cased, in
 * order of first appearance, at most {@link MAX_MENTIONS}. Not counted: the domain of an e-mail address
 * (`ann@example.com`), `@` inside a URL path (`https://host/@someone`), text in code spans and code blocks,
 * an escaped `\@name`, and a name that runs on as a domain (`@example.com`) or past 32 characters.
 */
export function extractMentions(source: string): string[] {
  if (typeof source !== 'string' || source.length === 0) return [];
  let texts: string[];
  try {
    texts = proseTexts(lex(source));
  } catch {
    texts = [source]; // see fallbackHtml: the whole text counts as prose
  }
  return mentionsIn(texts);
}

const BLOCK_BOUNDARY = /<(?:br|hr)\b[^>]*>|<\/(?:p|li|h[1-6]|pre|blockquote|tr|th|td|ul|ol|table)>/g;
const TEXT_ONLY: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: 'discard' };
/** Tags, comments and the like that a member typed, dropped from excerpts; then any "<" that could still open a
 *  tag loses its "<". `I <3 you` and `a < b` are untouched. */
const TAG_SHAPED = /<!--[\s\S]*?(?:-->|$)|<\/?[a-z][^<>]*>|<[!?][^<>]*>/gi;
const TAG_OPEN = /(?<!<)<+(?=[a-z/!?])/gi; // from the first "<" of a run only: linear on "<<<<…"

/**
 * A whitespace-collapsed plain-text excerpt of at most `max` characters (including the trailing "…" when cut,
 * preferably at a word boundary). It is text, not HTML: no markup, character references decoded ("Q&A", "I <3
 * you"), and anything tag-shaped the member typed removed; escape it like any other text when putting it in HTML.
 */
export function plainTextExcerpt(source: string, max = 200): string {
  return excerptOfHtml(renderMarkdown(source), max);
}

/**
 * {@link plainTextExcerpt} of a text already rendered by {@link renderMarkdown} (links to mentions and quoted
 * posts are text like any other): a post's stored HTML gives its excerpt without lexing it again.
 */
export function excerptOfHtml(rendered: string, max = 200): string {
  const limit = Math.max(0, Math.floor(max));
  if (limit === 0) return '';
  const html = rendered.replace(BLOCK_BOUNDARY, (tag) => `${tag} `);
  // sanitize-html decodes, strips every tag and re-escapes exactly &, < and >; undo that escaping.
  const text = sanitizeHtml(html, TEXT_ONLY)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(TAG_SHAPED, ' ')
    .replace(TAG_OPEN, '')
    .replace(/\s+/g, ' ')
    .trim();
  return truncate(text, limit);
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1; // room for the ellipsis
  const space = text.lastIndexOf(' ', end);
  if (space >= Math.floor(end * 0.6)) end = space;
  // Never split a surrogate pair.
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1])) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}
