/**
 * Quoting part of a post (a member's thread page only; guests and reading load no JavaScript). Beside each post's
 * "Quote" link, a "Quote selection" button: it puts the text the member selected in that post into the reply box as
 * `[quote=<post id>]…[/quote]` (the server names the author when the reply is posted) and moves the focus there.
 * With nothing selected in the post, the button quotes the whole post, as the "Quote" link does without JavaScript.
 */
const box = document.querySelector<HTMLTextAreaElement>('#reply-body');
/** The last selection made inside a post's text, kept because tapping a button may clear it on touch screens. */
let picked: { postId: string; text: string } | null = null;

function postOf(element: Element | null): HTMLElement | null {
  return element?.closest<HTMLElement>('article.post[id^="post-"]') ?? null;
}

/** The text selected now inside one post's text, with that post's id. */
function selectionInPost(): { postId: string; text: string } | null {
  const selection = document.getSelection();
  const text = selection?.toString().trim() ?? '';
  if (!selection || text === '' || selection.rangeCount === 0) return null;
  const node = selection.getRangeAt(0).commonAncestorContainer;
  const element = node instanceof Element ? node : node.parentElement;
  const post = postOf(element);
  return post && element?.closest('.post-body') ? { postId: post.id.slice('post-'.length), text } : null;
}

document.addEventListener('selectionchange', () => {
  picked = selectionInPost() ?? picked;
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
      const chosen = [selectionInPost(), picked].find((p) => p?.postId === postId);
      if (chosen) {
        insert(postId, chosen.text);
        picked = null;
      } else {
        const body = document.getElementById(`post-${postId}`)?.querySelector('.post-body');
        insert(postId, (body as HTMLElement | null)?.innerText.trim() ?? '');
      }
    });
    link.after(' ', button);
  }
}
