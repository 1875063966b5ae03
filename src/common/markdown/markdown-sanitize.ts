/**
 * The second layer of members' Markdown (see markdown.ts): the `sanitize-html` allowlist applied to marked's
 * output, which also sets `rel` on every link and re-checks every href, so a bug or an upgrade in the Markdown
 * layer cannot smuggle markup through.
 */
import sanitizeHtml from 'sanitize-html';

/** The `rel` every rendered link carries: user-generated, not endorsed, no window.opener. */
export const LINK_REL = 'ugc nofollow noopener';

/** Absolute URLs with an allowed scheme, matched on the literal text: an entity, a tab, a space or any other
 *  character before the scheme's end makes the URL fail, so no decoding trick can turn it into `javascript:`. */
export const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;

/** The site's own paths that rendered Markdown may link to: a post (`/p/<id>`, a quote's author line) and a member
 *  (`/u/<username>`, a mention). Only the renderer emits them: a member's own Markdown link must be absolute. */
export const SITE_PATH = /^\/(?:p\/\d{1,18}|u\/[A-Za-z0-9_]{3,32})$/;

const ALIGN = { name: 'align', multiple: false, values: ['left', 'center', 'right'] };

export const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
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
      if (attribs.href !== undefined && (SAFE_HREF.test(attribs.href) || SITE_PATH.test(attribs.href))) {
        out.href = attribs.href;
      }
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
