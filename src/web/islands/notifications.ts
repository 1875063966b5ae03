/**
 * Live news over the chat socket, in two parts that share one connection.
 *
 * The notifications page: when the socket brings a `notification`, the island reads the first page of the list
 * again (the server's own words and links for every kind, in one place), adds the new items at the top, says so
 * politely, and sets the header's unread badge to the server's count (making the badge if there was none).
 *
 * Moderators, on every page (the layout gives them the `[data-mod-alerts]` region and this island): when a crisis
 * item reaches the queue, an alert appears at the top of the page in that aria-live="assertive" region (not
 * role="alert", which the forms' messages use), read out by screen readers without moving focus, with a link to the
 * item in the queue and a button to put it away; in the chat room it came from, the message is marked too.
 */
import type { Socket } from 'socket.io-client';
import { badge, chatSocket } from './_chat-socket';

interface ModerationAlert {
  kind: 'crisis' | 'report';
  itemId: string;
  targetType: string;
  targetId: string;
  excerpt: string;
}

const WHERE: Record<string, string> = {
  chat_message: 'a chat message',
  post: 'a forum post',
  thread: 'a forum thread',
  comment: 'an article comment',
};

const list = document.querySelector<HTMLElement>('[data-notifications]');
const live = document.querySelector<HTMLElement>('[data-live]');
const alerts = document.querySelector<HTMLElement>('[data-mod-alerts]');
if (list || alerts) void start();

async function start(): Promise<void> {
  const socket = await chatSocket(() => undefined);
  if (!socket) return;
  if (list) followNotifications(socket, list);
  if (alerts) {
    // Marks the region while alerts can arrive (as the list's data-connected), for tests and styles.
    const mark = (on: boolean) => alerts.toggleAttribute('data-connected', on);
    if (socket.connected) mark(true);
    socket.on('connect', () => mark(true));
    socket.on('disconnect', () => mark(false));
    socket.on('moderation:alert', (alert: ModerationAlert) => showAlert(alerts, alert));
  }
}

function followNotifications(socket: Socket, list: HTMLElement): void {
  socket.on('connect', () => list.toggleAttribute('data-connected', true));
  socket.on('disconnect', () => list.toggleAttribute('data-connected', false));
  let busy: Promise<void> = Promise.resolve();
  socket.on('notification', () => {
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

/** One crisis alert, newest first, built from text only (the excerpt is never read as HTML). */
function showAlert(region: HTMLElement, alert: ModerationAlert): void {
  if (alert.kind !== 'crisis' || document.getElementById(`mod-alert-${alert.itemId}`)) return;
  const item = document.createElement('div');
  item.className = 'mod-alert';
  item.id = `mod-alert-${alert.itemId}`;
  const text = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = 'Possible crisis';
  text.append(strong, ` in ${WHERE[alert.targetType] ?? 'new content'}: “${alert.excerpt}” `);
  const link = document.createElement('a');
  link.href = `/mod#item-${encodeURIComponent(alert.itemId)}-heading`;
  link.textContent = 'Open it in the moderation queue';
  text.append(link);
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.className = 'secondary';
  dismiss.textContent = 'Dismiss';
  dismiss.setAttribute('aria-label', 'Dismiss this alert');
  dismiss.addEventListener('click', () => item.remove());
  item.append(text, dismiss);
  region.prepend(item);
  if (alert.targetType === 'chat_message') markInRoom(alert.targetId);
}

/**
 * In the chat room the message came from, the message itself says so too. It may be drawn (or drawn again) after the
 * alert arrives: the room's log is watched for a minute to mark it whenever it appears.
 */
function markInRoom(messageId: string): void {
  const log = document.querySelector<HTMLElement>('[role="log"]');
  if (!log) return;
  const mark = () => {
    const meta = document.getElementById(`m-${messageId}`)?.querySelector('.chat-meta');
    if (!meta || meta.querySelector('.chat-crisis')) return;
    const tag = document.createElement('span');
    tag.className = 'chat-state chat-crisis';
    tag.textContent = 'Possible crisis: moderators alerted';
    meta.append(' ', tag);
  };
  mark();
  const watch = new MutationObserver(mark);
  watch.observe(log, { childList: true, subtree: true });
  setTimeout(() => watch.disconnect(), 60_000);
}
