/**
 * Members' Markdown -> safe HTML, plus the two things other features need from a post's text:
 * who it mentions, and a short plain-text excerpt.
 *
 * Two layers, each sufficient on its own for the dangerous cases:
 *  1. `marked` (GFM, `breaks: true`) with raw HTML switched off: the `html`/`tag` tokenizers never match, so
 *     whatever a member types between angle brackets is ordinary text and comes out escaped ("<b>" shows as
 *     "<b>", which is what someone who typed it expects). Links are emitted only for absolute http(s)/mailto
 *     URLs, images become links, headings are shifted down two levels, task-list checkboxes become ☐/☑ text.
 *  2. `sanitize-html` with a strict allowlist over marked's output, which also forces `rel` on every link and
 *     re-checks every href, so a bug or an upgrade in (1) cannot smuggle markup through.
 *
 * Allowlist decisions (see README-style notes in the report that introduced this file):
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
 */
import { Marked, type RendererObject, type Token, type TokenizerObject } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** The `rel` every rendered link carries: user-generated, not endorsed, no window.opener. */
export const LINK_REL = 'ugc nofollow noopener';

/** At most this many distinct usernames are returned by {@link extractMentions}. */
export const MAX_MENTIONS = 20;

const CODE_LANGUAGE = /^[a-z0-9+#-]{1,20}$/;
/** Absolute URLs with an allowed scheme, matched on the literal text: an entity, a tab, a space or any other
 *  character before the scheme's end makes the URL fail, so no decoding trick can turn it into `javascript:`. */
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;
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

const tokenizer: TokenizerObject = {
  // Raw HTML is not HTML here: with these two never matching, `<b>`, `<script>`, `<!-- -->` and friends are lexed
  // as text, escaped by the text renderer, and the Markdown around them still works.
  html() {
    return undefined;
  },
  tag() {
    return undefined;
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
  link({ href, title, tokens }) {
    const text = this.parser.parseInline(tokens);
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
markdown.use({ tokenizer, renderer });

const ALIGN = { name: 'align', multiple: false, values: ['left', 'center', 'right'] };

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'em',
    'strong',
    'del',
    's',
    'ul',
    'ol',
    'li',
    'h3',
    'h4',
    'h5',
    'h6',
    'a',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: [ALIGN], td: [ALIGN], code: ['class'] },
  allowedClasses: { code: [/^language-[a-z0-9+#-]{1,20}$/] },
  allowedStyles: {},
  parseStyleAttributes: false,
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  allowVulnerableTags: false,
  disallowedTagsMode: 'discard',
  enforceHtmlBoundary: false,
  transformTags: {
    h1: 'h3',
    h2: 'h4',
    a: (tagName, attribs) => {
      const out: sanitizeHtml.Attributes = {};
      if (attribs.href !== undefined && SAFE_HREF.test(attribs.href)) out.href = attribs.href;
      if (attribs.title) out.title = attribs.title;
      out.rel = LINK_REL; // replaces whatever rel there was; `target` is never kept
      return { tagName, attribs: out };
    },
  },
  // An <a> left without an acceptable href is unwrapped: its text stays, the element goes.
  exclusiveFilter: (frame) => (frame.tag === 'a' && !frame.attribs.href ? 'excludeTag' : false),
};

/** The same allowlist {@link renderMarkdown} applies, for tests and for re-checking stored HTML. */
export function sanitizeRenderedHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE_OPTIONS);
}

/**
 * Renders a member's Markdown to HTML that is safe to insert into a page as is. Never throws for string input.
 */
export function renderMarkdown(source: string): string {
  if (typeof source !== 'string' || source.length === 0) return '';
  return sanitizeHtml(markdown.parse(source, { async: false }), SANITIZE_OPTIONS);
}

function forEachProseText(source: string, visit: (text: string) => void): void {
  if (typeof source !== 'string' || source.length === 0) return;
  markdown.walkTokens(markdown.lexer(source), (token: Token) => {
    // Leaf text only: block-level `text` tokens carry inline children that are visited in their own right,
    // and code spans, code blocks and escapes (`\@name`) are not prose.
    if (token.type === 'text' && !('tokens' in token && token.tokens)) visit(token.text);
  });
}

/**
 * The distinct usernames mentioned as `@username` (3-32 of [a-z0-9_], any case in the text), lower-cased, in
 * order of first appearance, at most {@link MAX_MENTIONS}. Not counted: the domain of an e-mail address
 * (`ann@example.com`), `@` inside a URL path (`https://host/@someone`), text in code spans and code blocks,
 * an escaped `\@name`, and a name that runs on as a domain (`@example.com`) or past 32 characters.
 */
export function extractMentions(source: string): string[] {
  const found = new Set<string>();
  forEachProseText(source, (text) => {
    for (const match of text.matchAll(MENTION)) {
      if (found.size >= MAX_MENTIONS) return;
      found.add(match[1].toLowerCase());
    }
  });
  return [...found];
}

const BLOCK_BOUNDARY = /<(?:br|hr)\b[^>]*>|<\/(?:p|li|h[1-6]|pre|blockquote|tr|th|td|ul|ol|table)>/g;
const TEXT_ONLY: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: 'discard' };
/** Anything tag-shaped a member typed, dropped from excerpts; `<3` or `a < b` is not tag-shaped and stays. */
const TAG_SHAPED = /<!--[\s\S]*?(?:-->|$)|<\/?[a-z][^<>]*(?:>|$)|<![^<>]*>|<\?[^<>]*>/gi;

/**
 * A whitespace-collapsed plain-text excerpt of at most `max` characters (including the trailing "…" when cut,
 * preferably at a word boundary). It is text, not HTML: no markup, character references decoded ("Q&A", "I <3
 * you"), and anything tag-shaped the member typed removed; escape it like any other text when putting it in HTML.
 */
export function plainTextExcerpt(source: string, max = 200): string {
  const limit = Math.max(0, Math.floor(max));
  if (limit === 0) return '';
  const html = renderMarkdown(source).replace(BLOCK_BOUNDARY, (tag) => `${tag} `);
  // sanitize-html decodes, strips every tag and re-escapes exactly &, < and >; undo that escaping.
  const text = sanitizeHtml(html, TEXT_ONLY)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(TAG_SHAPED, ' ')
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
