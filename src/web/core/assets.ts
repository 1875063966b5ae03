import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the built islands and the stylesheet live (Vite writes them there; see src/web/vite.config.mjs). */
export const PUBLIC_DIR = join(__dirname, '..', 'public');

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
  isEntry?: boolean;
}

export interface PageAssets {
  styles: string[];
  scripts: string[];
  preloads: string[];
}

/**
 * The built files a page needs, from Vite's manifest: the stylesheet always, and the islands the page names (each
 * with the chunks it imports, preloaded). Without a build (unit and e2e tests run from src) pages have none.
 */
export class Assets {
  private readonly manifest: Record<string, ManifestChunk>;

  constructor(dir = PUBLIC_DIR) {
    const file = join(dir, '.vite', 'manifest.json');
    this.manifest = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, ManifestChunk>) : {};
  }

  get built(): boolean {
    return Object.keys(this.manifest).length > 0;
  }

  forPage(islands: readonly string[]): PageAssets {
    const styles = new Set<string>();
    const scripts: string[] = [];
    const preloads = new Set<string>();
    const site = this.manifest['styles/site.css'];
    if (site) styles.add(`/assets/${site.file}`);
    for (const island of islands) {
      const entry = this.manifest[`islands/${island}.ts`];
      if (!entry) continue;
      scripts.push(`/assets/${entry.file}`);
      for (const css of entry.css ?? []) styles.add(`/assets/${css}`);
      const seen = new Set<string>();
      const walk = (key: string) => {
        for (const imported of this.manifest[key]?.imports ?? []) {
          if (seen.has(imported)) continue;
          seen.add(imported);
          const chunk = this.manifest[imported];
          if (chunk) preloads.add(`/assets/${chunk.file}`);
          walk(imported);
        }
      };
      walk(`islands/${island}.ts`);
    }
    return { styles: [...styles], scripts, preloads: [...preloads] };
  }
}
