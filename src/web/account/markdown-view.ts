import { renderMarkdown } from '../../common/markdown/markdown';

/**
 * A bio as the page shows it. The users service keeps bios as typed (Markdown) and renders none, so the page
 * renders it here with the backend's one sanitising renderer (the same marked + sanitize-html allowlist that makes
 * every stored bodyHtml): only its output is ever printed raw.
 */
export function bioHtml(bio: string): string {
  return bio.trim() ? renderMarkdown(bio) : '';
}

/** "26 November 2026", in UTC like the rest of the site's dates (the <time> element carries the exact moment). */
export function longDate(iso: string | Date): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}
