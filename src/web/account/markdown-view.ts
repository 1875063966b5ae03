import { renderMarkdown } from '../../common/markdown/markdown';

/**
 * A bio as the page shows it. The users service keeps bios as typed (Markdown) and renders none, so the page
 * renders it here with the backend's one sanitising renderer (the same marked + sanitize-html allowlist that makes
 * every stored bodyHtml): only its output is ever printed raw.
 */
export function bioHtml(bio: string): string {
  return bio.trim() ? renderMarkdown(bio) : '';
}
