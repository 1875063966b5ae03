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
export function expectSafe(html: string): void {
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

/** A long post as members write them: headings, emphasis, links, lists, quotes, tables, code. */
export function realisticPost(length: number): string {
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
