import { renderLibraryMarkdown } from './library-markdown';

describe(renderLibraryMarkdown.name, () => {
  it('keeps ## as the page’s own h2 and # one level below the title', () => {
    expect(renderLibraryMarkdown('# Top\n\n## How it is treated')).toBe('<h2>Top</h2>\n<h2>How it is treated</h2>\n');
  });

  it('links to paths of this site and to the web, never to scripts or to other hosts dressed as paths', () => {
    const html = renderLibraryMarkdown(
      '[chat](/chat) [a](//evil.example) [b](/\\evil.example) [c](javascript:alert(1)) [d](https://www.nhs.uk)',
    );
    expect(html).toContain('<a href="/chat">chat</a>');
    expect(html).toContain('<a href="https://www.nhs.uk" rel="noopener">d</a>');
    expect(html).not.toContain('evil.example');
    expect(html).not.toContain('javascript');
  });

  it('shows raw HTML as text', () => {
    const html = renderLibraryMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });
});
