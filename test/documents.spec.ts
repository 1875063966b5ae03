import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Haven's documents stand on their own: a clone of the repository is all a reader has. So no README or document
 * names a path outside the repository (a `../` that climbs above its root, an absolute path such as `/work/…`, the
 * old `shared/` notes), and every relative link in them leads to a file that exists, and to a heading that exists
 * when it names one.
 */

const ROOT = path.resolve(__dirname, '..');
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git', '.haven-data', 'coverage']);

/** Every Markdown file of the repository: the README and docs/, and any other. */
function markdownFiles(dir = ROOT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

/** The text without fenced code blocks and inline code, where brackets are not links. */
function prose(text: string): string {
  return text.replace(/^(```|~~~)[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchors for a document's headings (lower case, punctuation dropped, spaces as hyphens, -1 for repeats). */
export function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const words = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const slug = words
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

/** What in one document points outside the repository or nowhere: one line per problem. */
export function problemsOf(file: string, text: string, root = ROOT): string[] {
  const problems: string[] = [];
  const where = path.relative(root, file);
  const dir = path.dirname(file);
  const inside = (target: string) => {
    const rel = path.relative(root, target);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };

  for (const [found] of text.matchAll(/\/work\/\S*|(?:\.\.\/)*shared\/[\w.-]+\.md|\b(?:STYLE|STACK)\.md\b/g)) {
    problems.push(`${where}: names "${found}", which is outside the repository`);
  }
  for (const [found] of text.matchAll(/(?:\.\.\/)+[\w.-]*/g)) {
    if (!inside(path.resolve(dir, found))) problems.push(`${where}: "${found}" climbs out of the repository`);
  }

  for (const [, rawTarget] of prose(text).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(rawTarget)) continue; // https:, mailto:, tel:
    const [target, anchor] = rawTarget.split('#') as [string, string | undefined];
    if (target.startsWith('/')) {
      problems.push(`${where}: link "${rawTarget}" is an absolute path; use a path relative to the document`);
      continue;
    }
    if (target === '') {
      if (anchor && !anchorsOf(text).has(anchor)) problems.push(`${where}: link "${rawTarget}" names no heading here`);
      continue;
    }
    const resolved = path.resolve(dir, decodeURIComponent(target));
    if (!inside(resolved)) {
      problems.push(`${where}: link "${rawTarget}" leads outside the repository`);
    } else if (!existsSync(resolved)) {
      problems.push(`${where}: link "${rawTarget}" leads to no file`);
    } else if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile()) {
      if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
        problems.push(`${where}: link "${rawTarget}" names no heading of ${path.relative(root, resolved)}`);
      }
    }
  }
  return problems;
}

describe("The repository's documents", () => {
  const files = markdownFiles();

  it('include the README and the guides it maps', () => {
    const names = files.map((f) => path.relative(ROOT, f));
    expect(names).toEqual(
      expect.arrayContaining(['README.md', 'docs/api.md', 'docs/operating.md', 'docs/moderating.md']),
    );
  });

  it('point nowhere outside the repository, and every relative link leads to a file (and heading) that exists', () => {
    const problems = files.flatMap((file) => problemsOf(file, readFileSync(file, 'utf8')));
    expect(problems).toEqual([]);
  });

  it('the README maps every document in docs/', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const docs = files.filter((f) => path.dirname(f) === path.join(ROOT, 'docs')).map((f) => path.basename(f));
    for (const name of docs) expect(readme).toContain(`](docs/${name})`);
  });

  describe('the checker itself', () => {
    const doc = path.join(ROOT, 'docs', 'example.md');

    it('finds paths outside the repository, dead links and missing headings', () => {
      const text = [
        '# A guide',
        'See /work/shared/API.md and ../shared/STYLE.md, and [the stack](../../notes/STACK.md).',
        '[gone](no-such-file.md), [root](/etc/passwd), [heading](api.md#no-such-heading)',
        '[fine](api.md#conventions), [here](#a-guide), [readme](../README.md), [site](https://example.org/x)',
        '[nowhere](#no-heading)',
      ].join('\n');
      const problems = problemsOf(doc, text);
      expect(problems).toEqual([
        'docs/example.md: names "/work/shared/API.md", which is outside the repository',
        'docs/example.md: names "../shared/STYLE.md", which is outside the repository',
        'docs/example.md: names "STACK.md", which is outside the repository',
        'docs/example.md: "../../notes" climbs out of the repository',
        'docs/example.md: link "../../notes/STACK.md" leads outside the repository',
        'docs/example.md: link "no-such-file.md" leads to no file',
        'docs/example.md: link "/etc/passwd" is an absolute path; use a path relative to the document',
        'docs/example.md: link "api.md#no-such-heading" names no heading of docs/api.md',
        'docs/example.md: link "#no-heading" names no heading here',
      ]);
    });

    it('makes anchors as GitHub does', () => {
      const anchors = anchorsOf(
        '# Live events (Socket.IO)\n## Server → client events\n## Mail and the account’s life\n## Mail',
      );
      expect([...anchors]).toEqual([
        'live-events-socketio',
        'server--client-events',
        'mail-and-the-accounts-life',
        'mail',
      ]);
    });
  });
});
