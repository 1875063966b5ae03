import { renderMarkdown } from './markdown';

/** Runs of "<" are lexed as one text token (they were one token per character); what they render stays the same. */
describe('renderMarkdown: runs of "<"', () => {
  it.each([
    ['a long run', '<'.repeat(19_500), `<p>${'&lt;'.repeat(19_500)}</p>\n`],
    [
      'a run before an autolink',
      '<<<https://example.org>',
      '<p>&lt;&lt;<a href="https://example.org" rel="ugc nofollow noopener">https://example.org</a></p>\n',
    ],
    [
      'a run before an e-mail autolink',
      '<<ann@example.org>',
      '<p>&lt;<a href="mailto:ann@example.org" rel="ugc nofollow noopener">ann@example.org</a></p>\n',
    ],
    ['runs between words', 'a <<< b << c', '<p>a &lt;&lt;&lt; b &lt;&lt; c</p>\n'],
    ['a run before emphasis', '<<*hi*', '<p>&lt;&lt;<em>hi</em></p>\n'],
  ])('renders %s as before', (_what, source, html) => {
    expect(renderMarkdown(source)).toBe(html);
  });
});
