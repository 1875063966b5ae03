import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { SANITIZE_OPTIONS } from '../common/markdown/markdown-sanitize';

/** Absolute http(s)/mailto links, or a path of this site (`/chat`, never `//elsewhere` or `/\elsewhere`). */
const ADMIN_HREF = /^(?:https?:\/\/|mailto:|\/(?![/\\]|%5c))/i;

const marked = new Marked({ gfm: true, breaks: false, async: false });
// Admins write the library, but what they paste is still never raw HTML: it shows as text.
marked.use({ renderer: { html: ({ text }) => escape(text) } });

/**
 * The allowlist of members' Markdown, widened for the library that admins write: `##` is a real h2 (the page's own
 * sections), and links may be paths of this site. No raw HTML, no images, no attributes beyond the members' ones.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  ...SANITIZE_OPTIONS,
  allowedTags: [...(SANITIZE_OPTIONS.allowedTags || []), 'h2'],
  allowedSchemesByTag: {},
  transformTags: {
    h1: 'h2',
    a: (tagName, attribs) => {
      const out: sanitizeHtml.Attributes = {};
      if (attribs.href !== undefined && ADMIN_HREF.test(attribs.href)) out.href = attribs.href;
      if (attribs.title) out.title = attribs.title;
      if (out.href && !out.href.startsWith('/')) out.rel = 'noopener';
      return { tagName, attribs: out };
    },
  },
  // sanitize-html checks schemes itself: a relative path has none, so it passes; `javascript:` is dropped.
  allowedSchemes: ['http', 'https', 'mailto'],
};

/** Library Markdown (articles, the site's own pages) to safe HTML. */
export function renderLibraryMarkdown(source: string): string {
  return sanitizeHtml(marked.parse(source) as string, OPTIONS);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
