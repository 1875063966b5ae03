/**
 * Quoting part of a post (a member's thread page only; guests and reading load no JavaScript). Beside each post's
 * "Quote" link, a "Quote selection" button: it puts the text the member selected in that post into the reply box as
 * `[quote=<post id>]…[/quote]` (the server names the author when the reply is posted) and moves the focus there.
 * With nothing selected in the post, the button quotes the whole post, as the "Quote" link does without JavaScript.
 */
const box = document.querySelector<HTMLTextAreaElement>('#reply-body');
/** The last selection made inside a post's text, kept because tapping a button may clear it on touch screens. */
let picked: { postId: string; text: string } | null = null;

function postOf(node: Node | null): HTMLElement | null {
  const element = node instanceof Element ? node : (node?.parentElement ?? null);
  return element?.closest<HTMLElement>('article.post[id^="post-"]') ?? null;
}

document.addEventListener('selectionchange', () => {
  const selection = document.getSelection();
  const text = selection?.toString().trim() ?? '';
  if (!selection || text === '' || selection.rangeCount === 0) return;
  const range = selection.getRangeAt(0);
  const post = postOf(range.commonAncestorContainer);
  const inBody =
    range.commonAncestorContainer instanceof Element
      ? range.commonAncestorContainer.closest('.post-body')
      : range.commonAncestorContainer.parentElement?.closest('.post-body');
  if (post && inBody) picked = { postId: post.id.slice('post-'.length), text };
});

function insert(postId: string, text: string): void {
  if (!box) return;
  const quote = `[quote=${postId}]\n${text}\n[/quote]\n\n`;
  const at = box.selectionStart ?? box.value.length;
  const before = box.value.slice(0, at);
  const spacer = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  box.value = `${before}${spacer}${quote}${box.value.slice(at)}`;
  const caret = before.length + spacer.length + quote.length;
  box.focus();
  box.setSelectionRange(caret, caret);
  box.scrollIntoView({ block: 'center' });
}

if (box) {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('a[data-quote]')) {
    const postId = link.dataset.quote ?? '';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link-button';
    button.textContent = 'Quote selection';
    const who = link.querySelector('.visually-hidden')?.textContent ?? '';
    if (who) {
      const hidden = document.createElement('span');
      hidden.className = 'visually-hidden';
      hidden.textContent = ` from${who.replace(/^ this/, '')}`;
      button.append(hidden);
    }
    button.addEventListener('click', () => {
      if (picked && picked.postId === postId) {
        insert(postId, picked.text);
        picked = null;
      } else {
        const body = document.getElementById(`post-${postId}`)?.querySelector('.post-body');
        insert(postId, (body as HTMLElement | null)?.innerText.trim() ?? '');
      }
    });
    link.after(' ', button);
  }
}
