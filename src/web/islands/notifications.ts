/**
 * The notifications page, live: when the chat socket brings a `notification`, the island reads the first page of
 * the list again (the server's own words and links for every kind, in one place), adds the new items at the top,
 * says so politely, and sets the header's unread badge to the server's count (making the badge if there was none).
 */
import { badge, chatSocket } from './_chat-socket';

const list = document.querySelector<HTMLElement>('[data-notifications]');
const live = document.querySelector<HTMLElement>('[data-live]');
if (list) void start(list);

async function start(list: HTMLElement): Promise<void> {
  const socket = await chatSocket(() => undefined);
  socket?.on('connect', () => list.toggleAttribute('data-connected', true));
  socket?.on('disconnect', () => list.toggleAttribute('data-connected', false));
  let busy: Promise<void> = Promise.resolve();
  socket?.on('notification', () => {
    busy = busy.then(refresh, refresh);
  });

  async function refresh(): Promise<void> {
    const res = await fetch('/notifications', { credentials: 'same-origin', headers: { Accept: 'text/html' } });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    badge(Number.parseInt(doc.querySelector('[data-unread]')?.textContent ?? '0', 10) || 0);
    const summary = doc.querySelector('[data-summary]')?.textContent;
    const here = document.querySelector('[data-summary]');
    if (summary && here) here.textContent = summary;
    if (!list.hasAttribute('data-first')) return;
    const added = [...doc.querySelectorAll<HTMLElement>('[data-notifications] > li')].filter(
      (li) => !document.getElementById(li.id),
    );
    if (added.length === 0) return;
    list.prepend(...added);
    document.querySelector('[data-empty]')?.remove();
    const markRead = doc.querySelector('[data-mark-read]');
    if (markRead && !document.querySelector('[data-mark-read]')) list.before(markRead);
    if (live)
      live.textContent = `New: ${added[0].querySelector('.notification-text')?.textContent?.replace(/^New /, '') ?? ''}`;
  }
}
