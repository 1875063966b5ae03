import { extractMentions, MAX_MENTIONS, plainTextExcerpt, renderMarkdown } from './markdown';
import { expectSafe, realisticPost } from './markdown-safety.test-helper';

describe(renderMarkdown.name, () => {
  describe('formatting', () => {
    it('renders emphasis, strikethrough and single-newline line breaks', () => {
      expect(renderMarkdown('Some **bold**, _italic_ and ~~struck~~ text\nand a new line')).toBe(
        '<p>Some <strong>bold</strong>, <em>italic</em> and <del>struck</del> text<br />and a new line</p>\n',
      );
    });

    it('renders lists, ordered lists with their start, and task lists as ballot boxes', () => {
      expect(renderMarkdown('- tea\n- toast')).toBe('<ul>\n<li>tea</li>\n<li>toast</li>\n</ul>\n');
      expect(renderMarkdown('3. third\n4. fourth')).toBe('<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>\n');
      expect(renderMarkdown('- [x] scan booked\n- [ ] bloods')).toBe(
        '<ul>\n<li>☑ scan booked</li>\n<li>☐ bloods</li>\n</ul>\n',
      );
    });

    it('renders block quotes and thematic breaks', () => {
      expect(renderMarkdown('> one day\n> at a time\n\n---')).toBe(
        '<blockquote>\n<p>one day<br />at a time</p>\n</blockquote>\n<hr />\n',
      );
    });

    it('moves headings down two levels so a post cannot outrank the page', () => {
      expect(renderMarkdown('# One\n## Two\n### Three\n#### Four\n###### Six')).toBe(
        '<h3>One</h3>\n<h4>Two</h4>\n<h5>Three</h5>\n<h6>Four</h6>\n<h6>Six</h6>\n',
      );
      expect(renderMarkdown('Title\n===')).toBe('<h3>Title</h3>\n');
    });

    it('renders code spans and blocks escaped, with a language class only when it is a plain name', () => {
      expect(renderMarkdown('Use `<b>` & `a && b`')).toBe(
        '<p>Use <code>&lt;b&gt;</code> &amp; <code>a &amp;&amp; b</code></p>\n',
      );
      expect(renderMarkdown('```ts\nconst a = "<x>" && 1;\n```')).toBe(
        '<pre><code class="language-ts">const a = "&lt;x&gt;" &amp;&amp; 1;\n</code></pre>\n',
      );
      expect(renderMarkdown('```C#\nx\n```')).toContain('<code class="language-c#">');
      expect(renderMarkdown('```c++ title="x"\nx\n```')).toContain('<code class="language-c++">');
      expect(renderMarkdown('```"onclick=x\nx\n```')).toBe('<pre><code>x\n</code></pre>\n');
      expect(renderMarkdown('```averyveryverylonglanguagename\nx\n```')).toBe('<pre><code>x\n</code></pre>\n');
      expect(renderMarkdown('    indented code\n')).toBe('<pre><code>indented code\n</code></pre>\n');
    });

    it('renders tables with their alignment', () => {
      expect(renderMarkdown('| Time | Dose |\n|:-----|-----:|\n| 08:00 | 4 mg |')).toBe(
        '<table>\n<thead>\n<tr>\n<th align="left">Time</th>\n<th align="right">Dose</th>\n</tr>\n</thead>\n' +
          '<tbody><tr>\n<td align="left">08:00</td>\n<td align="right">4 mg</td>\n</tr>\n</tbody></table>\n',
      );
    });

    it('renders links with rel="ugc nofollow noopener" and no target', () => {
      expect(renderMarkdown('[the clinic](https://clinic.example/contact "Opening hours")')).toBe(
        '<p><a href="https://clinic.example/contact" title="Opening hours" rel="ugc nofollow noopener">the clinic</a></p>\n',
      );
      expect(renderMarkdown('[write to us](mailto:care@haven.example)')).toBe(
        '<p><a href="mailto:care@haven.example" rel="ugc nofollow noopener">write to us</a></p>\n',
      );
    });

    it('autolinks bare URLs, www. addresses, e-mail addresses and <…> links', () => {
      expect(
        renderMarkdown('see https://a.example/x?y=1&z=2 or www.b.example, mail c@d.example, <https://e.example>'),
      ).toBe(
        '<p>see <a href="https://a.example/x?y=1&amp;z=2" rel="ugc nofollow noopener">https://a.example/x?y=1&amp;z=2</a>' +
          ' or <a href="http://www.b.example" rel="ugc nofollow noopener">www.b.example</a>,' +
          ' mail <a href="mailto:c@d.example" rel="ugc nofollow noopener">c@d.example</a>,' +
          ' <a href="https://e.example" rel="ugc nofollow noopener">https://e.example</a></p>\n',
      );
    });

    it('percent-encodes what does not belong in a URL', () => {
      expect(renderMarkdown('[x](<https://a.example/my file "x">)')).toContain(
        'href="https://a.example/my%20file%20%22x%22"',
      );
      expect(renderMarkdown('[x](https://a.example/ünï)')).toContain('href="https://a.example/%C3%BCn%C3%AF"');
    });

    it('renders links it cannot allow as their text: relative, protocol-relative and other schemes', () => {
      expect(
        renderMarkdown('[a](/groups/1) [b](//evil.example) [c](/\\evil.example) [d](#top) [e](ftp://x.example)'),
      ).toBe('<p>a b c d e</p>\n');
      expect(renderMarkdown('[call](tel:+441234) [chat](irc://x.example)')).toBe('<p>call chat</p>\n');
    });

    it('renders images as links labelled with their alt text, never as <img>', () => {
      expect(renderMarkdown('![my scan](https://img.example/scan.png "March")')).toBe(
        '<p><a href="https://img.example/scan.png" title="March" rel="ugc nofollow noopener">my scan</a></p>\n',
      );
      expect(renderMarkdown('![](https://img.example/x.png)')).toBe(
        '<p><a href="https://img.example/x.png" rel="ugc nofollow noopener">https://img.example/x.png</a></p>\n',
      );
      expect(renderMarkdown('![pixel](javascript:alert(1))')).toBe('<p>pixel</p>\n');
    });

    it('shows raw HTML literally, as the member typed it, with the Markdown around it still working', () => {
      expect(renderMarkdown('I typed <b>this</b> & it **stayed**')).toBe(
        '<p>I typed &lt;b&gt;this&lt;/b&gt; &amp; it <strong>stayed</strong></p>\n',
      );
      expect(renderMarkdown('<div>\n*hello*\n</div>')).toBe(
        '<p>&lt;div&gt;<br /><em>hello</em></p>\n<p>&lt;/div&gt;</p>\n',
      );
      expect(renderMarkdown('<!-- note -->')).toBe('<p>&lt;!-- note --&gt;</p>\n');
    });

    it('keeps character references as text', () => {
      expect(renderMarkdown('&copy; &#169; &lt;b&gt; I <3 you')).toBe('<p>© © &lt;b&gt; I &lt;3 you</p>\n');
    });

    it('returns an empty string for empty or non-string input', () => {
      expect(renderMarkdown('')).toBe('');
      expect(renderMarkdown(undefined as unknown as string)).toBe('');
      expect(renderMarkdown(null as unknown as string)).toBe('');
    });

    it('renders a long, realistic post within the allowlist', () => {
      const html = renderMarkdown(realisticPost(20_000));
      expectSafe(html);
      expect(html.match(/<table>/g)?.length).toBeGreaterThan(10);
      expect(html).toContain(
        '<a href="https://www.cancer.org/treatment/side-effects.html" rel="ugc nofollow noopener">',
      );
    });
  });
});

describe(extractMentions.name, () => {
  it('finds @usernames, lower-cased and distinct, in order of appearance', () => {
    expect(extractMentions('Thanks @Ann and @bob_smith! @ANN, you too.')).toEqual(['ann', 'bob_smith']);
  });

  it('accepts names of 3 to 32 characters only', () => {
    const name32 = 'a'.repeat(32);
    expect(extractMentions(`@ab @abc @${name32} @${name32}x`)).toEqual(['abc', name32]);
  });

  it('finds names next to punctuation and inside formatting', () => {
    expect(extractMentions("(@ann), @bob. @carl! @dave? @eve's")).toEqual(['ann', 'bob', 'carl', 'dave', 'eve']);
    expect(
      extractMentions(
        '**@ann** _@bob_ ~~@carl~~ [@dave](https://x.example)\n> @eve\n- @fay\n\n| @gus |\n|---|\n| @hal |',
      ),
    ).toEqual(['ann', 'bob', 'carl', 'dave', 'eve', 'fay', 'gus', 'hal']);
  });

  it('ignores e-mail addresses, URLs and domain-like names', () => {
    expect(extractMentions('write to ann@example.com or <bob@example.com>')).toEqual([]);
    expect(extractMentions('https://medium.com/@writer and www.x.example/@someone')).toEqual([]);
    expect(extractMentions('@example.com')).toEqual([]);
    expect(extractMentions('café@ann')).toEqual([]);
  });

  it('ignores code and escaped @', () => {
    expect(extractMentions('`@ann` and\n```\n@bob\n```\n\n    @carl\n\n\\@dave')).toEqual([]);
  });

  it(`returns at most ${MAX_MENTIONS} names`, () => {
    const names = Array.from({ length: 30 }, (_, i) => `user${i}`);
    expect(extractMentions(names.map((name) => `@${name}`).join(' '))).toEqual(names.slice(0, MAX_MENTIONS));
  });

  it('returns nothing for empty or non-string input', () => {
    expect(extractMentions('')).toEqual([]);
    expect(extractMentions(undefined as unknown as string)).toEqual([]);
  });
});

describe(plainTextExcerpt.name, () => {
  it('gives the text without formatting, whitespace collapsed, blocks separated by a space', () => {
    expect(
      plainTextExcerpt(
        '# Update\n\nSome **bold** and _em_ text with a [link](https://x.example).\n\n- one\n- two\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```',
      ),
    ).toBe('Update Some bold and em text with a link. one two quoted a b 1 2 code');
  });

  it('is plain text: references decoded, typed tags removed, no markup', () => {
    expect(plainTextExcerpt('Q&amp;A: I <3 my nurses & doctors')).toBe('Q&A: I <3 my nurses & doctors');
    expect(plainTextExcerpt('<b>hello</b> <script>alert(1)</script> &lt;i&gt;there')).toBe('hello alert(1) there');
    expect(plainTextExcerpt('![my scan](https://img.example/x.png) line\nbreak')).toBe('my scan line break');
    expect(plainTextExcerpt('a <<iframe b </ c <!d')).toBe('a iframe b / c !d');
  });

  it('cuts at a word boundary and marks the cut, within max characters', () => {
    const text = 'word '.repeat(100);
    const excerpt = plainTextExcerpt(text, 42);
    expect(excerpt.length).toBeLessThanOrEqual(42);
    expect(excerpt).toMatch(/^(word )+word…$/);
    expect(plainTextExcerpt(text).length).toBeLessThanOrEqual(200);
    expect(plainTextExcerpt('short text', 42)).toBe('short text');
  });

  it('cuts long words and never splits a surrogate pair', () => {
    expect(plainTextExcerpt('x'.repeat(50), 10)).toBe('xxxxxxxxx…');
    expect(plainTextExcerpt('Hi 😀😀😀😀😀😀', 7)).toBe('Hi 😀…');
    expect(plainTextExcerpt('😀'.repeat(10), 6)).toBe('😀😀…');
  });

  it('returns an empty string for max 0 or empty input', () => {
    expect(plainTextExcerpt('hello', 0)).toBe('');
    expect(plainTextExcerpt('')).toBe('');
  });
});
