import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VIEWS_DIR } from '../web-setup';

/** Articles whose text Haven carries itself, as eta partials in views/articles/content/<key>.eta. */
export const ARTICLE_CONTENT_DIR = join(VIEWS_DIR, 'articles', 'content');

/** The keys with a text of their own, read once (other pages show their title and a link to their url). */
export function articleContentKeys(dir = ARTICLE_CONTENT_DIR): Set<string> {
  if (!existsSync(dir)) return new Set();
  return new Set(
    readdirSync(dir)
      .filter((f) => /^[a-z0-9][a-z0-9-]{1,99}\.eta$/.test(f))
      .map((f) => f.slice(0, -'.eta'.length)),
  );
}

/** What search engines and link previews say about an article Haven carries. */
const DESCRIPTIONS: Record<string, string> = {
  'breast-cancer-stage-four':
    'Stage four (metastatic) breast cancer in plain words: what it means, how it is treated, living with it, and where to find support.',
};

export function articleDescription(key: string, title: string): string {
  return DESCRIPTIONS[key] ?? `${title}: comments and ratings from the Haven community.`;
}
