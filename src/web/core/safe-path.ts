/** Any control character, whitespace (unicode spaces too), or invisible format character (zero-width, bidi). */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;

/**
 * The one rule for where Haven may send a browser after a form (`next`): a path on this site only. Accepted: "/"
 * alone, or "/" followed by a character that is neither "/" nor "\" (so never "//evil.example", "/\evil" or a
 * scheme), with no control or whitespace character anywhere (a tab or newline that a browser drops would turn
 * "/\t/evil.example" into "//evil.example"), all checked on the text as given and after each round of
 * percent-decoding ("/%09/evil.example", "/%2F/evil"). Only printable ASCII is followed (a Location header
 * carries nothing else). The decoded checks apply to the path; the query and fragment after it cannot change where
 * the browser goes, so an encoded space there ("/search?q=a%20b") is kept. Anything else falls back to `fallback`.
 */
export function safeLocalPath(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || to.length === 0 || to.length > 2000 || !/^[\x21-\x7e]+$/.test(to)) return fallback;
  let text = to.split(/[?#]/, 1)[0];
  for (let round = 0; round < 4; round++) {
    if (!isSameSitePath(text)) return fallback;
    let decoded: string;
    try {
      decoded = decodeURIComponent(text);
    } catch {
      return fallback;
    }
    if (decoded === text) return to;
    text = decoded;
  }
  return fallback;
}

function isSameSitePath(path: string): boolean {
  if (UNSAFE.test(path) || !path.startsWith('/')) return false;
  return path.length === 1 || (path[1] !== '/' && path[1] !== '\\');
}
