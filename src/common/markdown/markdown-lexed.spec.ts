import fc from 'fast-check';
import {
  excerptOfHtml,
  extractMentions,
  lexMarkdown,
  type MarkdownRefs,
  newWords,
  plainTextExcerpt,
  quotedPostIds,
  renderMarkdown,
} from './markdown';

/**
 * What a reply did before its text was lexed once: each answer from the text on its own. The excerpt is of the
 * member's own words when the text quotes something (else of the whole text: trimming it could turn "- [x] " into
 * "- [x]", which is no longer a task).
 */
function oneAtATime(source: string, refs: MarkdownRefs) {
  const own = newWords(source);
  const quotes = own.replace(/\s+/g, '') !== source.replace(/\s+/g, ''); // marked trims some tokens' ends
  return {
    mentions: extractMentions(source),
    quotedIds: quotedPostIds(source),
    html: renderMarkdown(source, refs),
    ownMentions: extractMentions(own),
    excerpt: plainTextExcerpt(quotes ? own.trim() || source : source, 200),
  };
}

/** The same answers from one lexing, as a reply now takes them. */
function lexedOnce(source: string, refs: MarkdownRefs) {
  const text = lexMarkdown(source);
  const answers = { mentions: text.mentions, quotedIds: text.quotedIds, ownMentions: text.ownMentions };
  const html = renderMarkdown(text, refs);
  const excerpt = text.quotes ? plainTextExcerpt(text.ownWords.trim() || source, 200) : excerptOfHtml(html, 200);
  return { ...answers, html, excerpt };
}

const refsFor = (source: string): MarkdownRefs => ({
  members: new Set(extractMentions(source)),
  quotes: new Map(quotedPostIds(source).map((id) => [id, { name: `Writer ${id}`, href: `/p/${id}` }])),
});

describe('lexMarkdown (a text lexed once)', () => {
  const texts: Array<[string, string]> = [
    ['plain prose with a mention', 'Thank you @Ann, the **scan** was clear.\n\nSee you Tuesday.'],
    ['a quote and a mention inside it', '[quote=12]\n@bob said so\n[/quote]\n\nThanks @carl & <b>all</b>'],
    ['a blockquote', '> quoted @dave\n\nmine @erin'],
    ['only a quote', '[quote=7]\nsomeone else\n[/quote]'],
    ['mentions in code are not mentions', '`@ann` and\n```\n@bob\n```\n\n    @carl\n\n\\@dave but @fred'],
    ['a loose task list (marked rewrites these tokens as it renders)', '- [x] done @ann\n\n- [ ] to do\n'],
    ['Windows line breaks', 'one\r\ntwo @ann\r\n\r\nthree'],
    ['character references and angle brackets', 'Q&amp;A: I <3 my nurses & doctors <script>x</script>'],
    ['empty', ''],
  ];

  it.each(texts)('gives what the functions one at a time give: %s', (_what, source) => {
    const refs = refsFor(source);
    expect(lexedOnce(source, refs)).toEqual(oneAtATime(source, refs));
  });

  it('renders its tokens once: a second rendering lexes again and gives the same HTML', () => {
    const text = lexMarkdown('- [x] done\n\n- [ ] to do\n');
    const first = renderMarkdown(text);
    expect(first).toContain('☑');
    expect(renderMarkdown(text)).toBe(first);
    expect(renderMarkdown(text.source)).toBe(first);
  });

  it('tells whether the text quotes, and keeps the own words of one that does', () => {
    expect(lexMarkdown('just mine').quotes).toBe(false);
    const quoting = lexMarkdown('[quote=3]\ntheirs\n[/quote]\n\nmine');
    expect(quoting.quotes).toBe(true);
    expect(quoting.ownWords.trim()).toBe('mine');
    expect(lexMarkdown('> theirs\n\nmine').ownWords.trim()).toBe('mine');
  });

  it('agrees with the functions one at a time on arbitrary text', () => {
    const piece = fc.constantFrom(
      '@ann ',
      '@Bob_2 ',
      '[quote=5]\n',
      '\n[/quote]\n',
      '> ',
      '\n\n',
      '\r\n',
      '`',
      '```\n',
      '- [x] ',
      '**',
      '_',
      '<b>',
      '&amp;',
      'https://example.org/@x ',
      'word ',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 5 })), { maxLength: 40 }), (parts) => {
        const source = parts.join('');
        const refs = refsFor(source);
        expect(lexedOnce(source, refs)).toEqual(oneAtATime(source, refs));
      }),
      { numRuns: 400 },
    );
  });
});
