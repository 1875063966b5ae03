/**
 * A page's HTML with its numeric character references read back as characters. The templates write every character
 * outside ASCII in their own text as a reference (`&#183;` for "·", see src/web/core/templates.ts), so a test that
 * looks for the page's words in its HTML reads them through this.
 */
export function readable(html: string): string {
  return html.replace(/&#(\d{1,7});/g, (_, code: string) => String.fromCodePoint(Number(code)));
}
