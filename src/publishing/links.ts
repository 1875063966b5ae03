/**
 * Links in a text, as spam signals count them (one home: comments and private conversations both ask here). Counts
 * `http(s)://` and `www.` starts, in the Markdown as written.
 */
export function countLinks(text: string): number {
  return (text.match(/https?:\/\/|www\./gi) ?? []).length;
}
