/**
 * A private conversation, live: joins it over the chat socket (`conversation:join`, with `sinceId` after a
 * reconnect), adds messages as they arrive (the server's sanitised bodyHtml), marks them read while the page is in
 * view, and sends with a clientId (a resend never stores twice), showing "Sending…" and "Not sent" with "Try again".
 * Without it (or while it is not connected) the page is the server's: the history and a form that posts.
 */
import { type Ack, accessToken, chatSocket } from './_chat-socket';

/** A conversation's message as the socket and the API send it (src/conversations). */
interface ConversationMessage {
  id: string;
  conversationId: string;
  author: { username: string; displayName: string } | null;
  fromTeam: boolean;
  body: string | null;
  bodyHtml: string;
  clientId: string;
  status: string;
  createdAt: string;
}

/** Times as the page writes them: in the zone the page names (`data-zone`), with its name ("14:05 UTC"). */
function clockOf(root: HTMLElement): (iso: string) => string {
  const label = root.dataset.zoneLabel || 'UTC';
  const options = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  try {
    const format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: root.dataset.zone || 'UTC' });
    return (iso) => `${format.format(new Date(iso))} ${label}`;
  } catch {
    const format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
    return (iso) => `${format.format(new Date(iso))} UTC`;
  }
}

/** Message ids are decimal strings that may pass 2^53: compared by length, then as text. */
const cmp = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

function make<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = cls;
  if (text !== undefined) el.textContent = text;
  return el;
}

const WAITING = 'Waiting: a moderator will look at it before the others see it';

const root = document.querySelector<HTMLElement>('[data-conversation]');
if (root) void start(root);

async function start(root: HTMLElement): Promise<void> {
  const id = root.dataset.conversation!;
  const me = root.dataset.me;
  const when = clockOf(root);
  const log = root.querySelector<HTMLElement>('[data-log]')!;
  const status = root.querySelector<HTMLElement>('[data-status]');
  const form = root.querySelector<HTMLFormElement>('[data-composer]');
  const input = form?.querySelector('textarea');
  let last = '';
  let read = '';
  let joined = false;
  for (const li of log.querySelectorAll<HTMLElement>('[data-id]'))
    if (cmp(li.dataset.id!, last) > 0) last = li.dataset.id!;
  read = last;

  const say = (text: string) => {
    if (status && status.textContent !== text) status.textContent = text;
  };
  const socket = await chatSocket(say);
  if (!socket) return;

  /** Her read mark follows what she has on screen: the newest message, while the page is in view. */
  const markRead = () => {
    if (!joined || document.visibilityState !== 'visible' || !last || cmp(last, read) <= 0) return;
    read = last;
    socket.emit('conversation:read', { id, upToId: last });
  };
  document.addEventListener('visibilitychange', markRead);

  function render(m: ConversationMessage, state: string, html?: string): HTMLLIElement {
    const own = !!m.author && m.author.username === me;
    const li = make('li', `chat-msg${own ? ' chat-own' : ''}${m.fromTeam ? ' chat-team' : ''}`);
    if (m.id) {
      li.id = `m-${m.id}`;
      li.dataset.id = m.id;
    }
    const meta = make('p', 'chat-meta');
    const author = own ? 'You' : (m.author?.displayName ?? (m.fromTeam ? 'The moderation team' : 'Former member'));
    meta.append(make('span', 'chat-author', author));
    if (m.fromTeam) meta.append(' ', make('span', 'team-mark', 'From the moderation team'));
    const time = make('time', '', when(m.createdAt));
    time.dateTime = m.createdAt;
    meta.append(' ', time);
    if (state) meta.append(' ', make('span', 'chat-state', state));
    const withheld = m.id !== '' && m.body === null;
    const body = make(withheld ? 'p' : 'div', withheld ? 'chat-body muted' : 'chat-body');
    if (withheld) body.textContent = 'This message was removed.';
    else if (html === undefined) body.append(make('p', '', m.body ?? ''));
    else body.innerHTML = html;
    li.append(meta, body);
    if (!own && !withheld && m.id) {
      const tools = make('p', 'chat-tools');
      const report = make('a', '', 'Report');
      report.href = `/messages/${id}/report/${m.id}`;
      report.append(make('span', 'visually-hidden', ` this message from ${author}`));
      tools.append(report);
      li.append(tools);
    }
    return li;
  }

  /** Adds or replaces a message in id order (unsent ones stay last); a withheld one keeps its place, without text. */
  function show(m: ConversationMessage, pending?: Element): void {
    if (m.conversationId !== id) return;
    pending?.remove();
    if (cmp(m.id, last) > 0) last = m.id;
    const old = document.getElementById(`m-${m.id}`);
    const li = render(m, m.status === 'pending' ? WAITING : '', m.bodyHtml);
    if (old) return old.replaceWith(li);
    log.querySelector('[data-empty]')?.remove();
    let after = log.lastElementChild as HTMLElement | null;
    while (after && (!after.dataset.id || cmp(after.dataset.id, m.id) > 0)) {
      after = after.previousElementSibling as HTMLElement | null;
    }
    if (after) after.after(li);
    else log.prepend(li);
  }

  async function catchUp(): Promise<void> {
    for (let more = true; more;) {
      const res = await fetch(`/api/conversations/${id}/messages?after=${last}&limit=100`, {
        headers: { Authorization: `Bearer ${await accessToken()}` },
      });
      if (!res.ok) return;
      const page = (await res.json()) as { items: ConversationMessage[]; more?: boolean };
      page.items.forEach((m) => show(m));
      more = page.more === true && page.items.length > 0;
    }
    markRead();
  }

  socket.on('connect', () => {
    socket.emit(
      'conversation:join',
      last ? { id, sinceId: last } : { id },
      (ack: Ack<{ messages?: ConversationMessage[]; more?: boolean }>) => {
        if (!ack.ok) return say(ack.error.message);
        joined = true;
        (ack.messages ?? []).forEach((m) => show(m));
        say('Live: new messages appear as they are sent.');
        if (ack.more && last) void catchUp();
        else markRead();
      },
    );
  });
  socket.on('disconnect', () => {
    joined = false;
  });
  socket.on('conversation:message', (e: { conversationId: string; message: ConversationMessage }) => {
    if (e.conversationId !== id) return;
    show(e.message);
    markRead();
  });

  if (!form || !input) return;

  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  const hint = root.querySelector('#reply-hint');
  if (hint) hint.textContent += ' Enter sends; Shift+Enter starts a new line.';

  function send(text: string, clientId: string, li: HTMLElement): void {
    li.className = 'chat-msg chat-own chat-pending';
    li.querySelector('.chat-state')!.textContent = 'Sending…';
    li.querySelector('.chat-actions')?.remove();
    socket!
      .timeout(10_000)
      .emit(
        'conversation:send',
        { id, body: text, clientId },
        (err: Error | null, ack?: Ack<{ message: ConversationMessage; notice?: string }>) => {
          if (!err && ack?.ok) {
            show(ack.message, li);
            if (ack.notice && !root.querySelector('[data-support]')) {
              const box = make('div', 'notice notice-warn');
              box.dataset.support = '';
              box.setAttribute('role', 'alert');
              box.append(make('p', '', ack.notice));
              form!.before(box);
            }
            return;
          }
          const why = err || !ack || ack.ok ? 'The connection is slow or lost.' : ack.error.message;
          li.classList.replace('chat-pending', 'chat-failed');
          li.querySelector('.chat-state')!.textContent = `Not sent: ${why}`;
          const bar = make('p', 'chat-actions');
          const again = make('button', 'secondary button-small', 'Try again');
          again.type = 'button';
          again.onclick = () => send(text, clientId, li);
          const edit = make('button', 'secondary button-small', 'Edit');
          edit.type = 'button';
          edit.onclick = () => {
            li.remove();
            input!.value = input!.value ? `${text}\n${input!.value}` : text;
            input!.focus();
          };
          bar.append(again, ' ', edit);
          li.append(bar);
        },
      );
  }

  form.addEventListener('submit', (e) => {
    // Not connected: the form posts, as without JavaScript (the server keeps the same rules).
    if (!joined) return;
    e.preventDefault();
    const text = input.value;
    if (!/\S/.test(text)) return input.focus();
    input.value = '';
    const clientId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    const li = render(
      {
        id: '',
        conversationId: id,
        author: { username: me ?? '', displayName: 'You' },
        fromTeam: false,
        body: text,
        bodyHtml: '',
        clientId,
        status: '',
        createdAt: new Date().toISOString(),
      },
      'Sending…',
    );
    log.querySelector('[data-empty]')?.remove();
    log.append(li);
    send(text, clientId, li);
    input.focus();
  });
}
