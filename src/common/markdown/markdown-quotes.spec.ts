import { extractMentions, newWords, quotedForReply, quotedPostIds, renderMarkdown } from './markdown';

const refs = {
  quotes: new Map([
    ['12', { name: 'Ann <B>', href: '/p/12' }],
    ['13', null],
  ]),
  members: new Set(['bob']),
};

describe('Markdown quotes and mentions', () => {
  it('says who wrote a quote, with a link to the post, and escapes the name', () => {
    const html = renderMarkdown('[quote=12]\nI said **this**\n[/quote]\n\nAnd I agree.', refs);
    expect(html).toContain(
      '<blockquote>\n<p><a href="/p/12" rel="ugc nofollow noopener">Ann &lt;B&gt; wrote:</a></p>\n<p>I said <strong>this</strong></p>\n</blockquote>',
    );
    expect(html).toContain('<p>And I agree.</p>');
  });

  it('quotes a post that is no longer shown kindly, and an unknown one without a name', () => {
    expect(renderMarkdown('[quote=13]\nold words\n[/quote]', refs)).toContain(
      '<p>From a post that is no longer shown:</p>',
    );
    const unknown = renderMarkdown('[quote=99]\nwords\n[/quote]', refs);
    expect(unknown).toContain('<p>Quote:</p>');
    expect(unknown).not.toContain('href');
  });

  it('links @username only for existing members, never inside code, a link or after a backslash', () => {
    const html = renderMarkdown(
      'Thanks @Bob and @carol\n\n`@bob` [@bob](https://x.example) \\@bob ann@bob.example',
      refs,
    );
    expect(html).toContain('Thanks <a href="/u/bob" rel="ugc nofollow noopener">@Bob</a> and @carol');
    expect(html.match(/href="\/u\/bob"/g)).toHaveLength(1);
    expect(html).toContain('<code>@bob</code>');
    expect(renderMarkdown('Thanks @bob')).toBe('<p>Thanks @bob</p>\n');
  });

  it('refuses site paths typed by a member: only the renderer makes them', () => {
    expect(renderMarkdown('[post](/p/12) [me](/u/bob)', refs)).toBe('<p>post me</p>\n');
  });

  it('finds mentions and excerpts in the new words only, not in what is quoted', () => {
    const text = '[quote=12]\nHi @carol\n[/quote]\n\n> and @dave said\n\nThanks @bob';
    expect(newWords(text).trim()).toBe('Thanks @bob');
    expect(extractMentions(newWords(text))).toEqual(['bob']);
    expect(quotedPostIds(text)).toEqual(['12']);
  });

  it('starts a reply with the quoted post, leaving out the quotes inside it', () => {
    expect(quotedForReply('5', '[quote=3]\ninner\n[/quote]\n\nmine\n> old')).toBe(
      '[quote=5]\nmine\n> old\n[/quote]\n\n',
    );
  });
});
