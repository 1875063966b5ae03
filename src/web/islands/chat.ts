/**
 * The chat room, live: joins the room over the chat socket, adds messages as they are sent (the server's sanitised
 * bodyHtml) and removes deleted ones, shows who is here and who is typing, sends with a clientId (a resend never
 * stores twice) showing "Sending…" and "Not sent", and catches up on what it missed after a reconnect. Without it
 * (or while it is not connected) the page is the server's: the history, who was here, and a form that posts.
 */
import { type Ack, accessToken, badge, chatSocket, type Member, type Message } from './_chat-socket';

/** Times as the page writes them: in the zone the page names (`data-zone`), with its name ("14:05 UTC"). */
function clockOf(root: HTMLElement): (iso: string) => string {
  const label = root.dataset.zoneLabel || 'UTC';
  let format: Intl.DateTimeFormat;
  const options = { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  try {
    format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: root.dataset.zone || 'UTC' });
  } catch {
    format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
    return (iso) => `${format.format(new Date(iso))} UTC`;
  }
  return (iso) => `${format.format(new Date(iso))} ${label}`;
}

/** Message ids are decimal strings that may pass 2^53: compared by length, then as text. */
const cmp = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

function make<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = cls;
  if (text !== undefined) el.textContent = text;
  return el;
}

const root = document.querySelector<HTMLElement>('[data-chat-room]');
if (root) void start(root);

async function start(root: HTMLElement): Promise<void> {
  const room = root.dataset.chatRoom!;
  const me = root.dataset.me;
  const when = clockOf(root);
  const find = <T extends Element = HTMLElement>(sel: string) => root.querySelector<T>(sel);
  const log = find('[data-log]')!;
  const status = find('[data-status]');
  const typingLine = find('[data-typing]');
  const presence = find('[data-presence]');
  const form = find<HTMLFormElement>('[data-composer]');
  const input = form?.querySelector('textarea');
  const names = new Map<string, string>();
  const typers = new Map<string, number>();
  let last = '';
  let joined = false;
  /** Messages written while the connection was away: sent, in order, once the room is joined again. */
  let outbox: Array<() => void> = [];
  for (const li of log.querySelectorAll<HTMLElement>('[data-id]'))
    if (cmp(li.dataset.id!, last) > 0) last = li.dataset.id!;

  const say = (text: string) => {
    if (status && status.textContent !== text) status.textContent = text;
  };
  const connected = await chatSocket(say);
  if (!connected) return;
  const socket = connected;

  function render(m: Message, state: string, html?: string): HTMLLIElement {
    const li = make('li', `chat-msg${m.author.username === me ? ' chat-own' : ''}`);
    if (m.id) {
      li.id = `m-${m.id}`;
      li.dataset.id = m.id;
    }
    const meta = make('p', 'chat-meta');
    const time = make('time', '', when(m.createdAt));
    time.dateTime = m.createdAt;
    meta.append(make('span', 'chat-author', m.author.displayName), ' ', time);
    if (state) meta.append(' ', make('span', 'chat-state', state));
    const body = make('div', 'chat-body');
    if (html === undefined) body.append(make('p', '', m.body ?? ''));
    else body.innerHTML = html;
    li.append(meta, body);
    return li;
  }

  /** Adds or replaces a message in id order (unsent ones stay last); a withheld one is removed. */
  function show(m: Message, pending?: Element): void {
    if (m.room !== room) return;
    pending?.remove();
    if (cmp(m.id, last) > 0) last = m.id;
    const old = document.getElementById(`m-${m.id}`);
    if (m.body === null) return old?.remove();
    const state = m.status === 'pending' ? 'Waiting for a moderator' : m.status === 'hidden' ? 'Hidden' : '';
    const li = render(m, state, m.bodyHtml);
    if (old) return old.replaceWith(li);
    log.querySelector('[data-empty]')?.remove();
    let after = log.lastElementChild as HTMLElement | null;
    while (after && (!after.dataset.id || cmp(after.dataset.id, m.id) > 0)) {
      after = after.previousElementSibling as HTMLElement | null;
    }
    if (after) after.after(li);
    else log.prepend(li);
  }

  function setPresence(members: Member[], count: number): void {
    presence?.replaceChildren(
      ...members.map((p) => {
        names.set(p.username, p.displayName);
        return make('li', '', p.displayName);
      }),
    );
    const n = find('[data-count]');
    if (n) n.textContent = String(count);
  }

  function typing(user: string, on: boolean): void {
    clearTimeout(typers.get(user));
    typers.delete(user);
    if (on && user !== me)
      typers.set(
        user,
        window.setTimeout(() => typing(user, false), 6000),
      );
    const who = [...typers.keys()].map((u) => names.get(u) ?? u);
    const text =
      who.length === 0
        ? ''
        : who.length === 1
          ? `${who[0]} is typing…`
          : who.length === 2
            ? `${who[0]} and ${who[1]} are typing…`
            : 'Several people are typing…';
    if (typingLine && typingLine.textContent !== text) typingLine.textContent = text;
  }

  async function catchUp(): Promise<void> {
    for (let more = true; more;) {
      const res = await fetch(`/api/chat/rooms/${room}/messages?after=${last}&limit=100`, {
        headers: { Authorization: `Bearer ${await accessToken()}` },
      });
      if (!res.ok) return;
      const page = (await res.json()) as { items: Message[]; more: boolean };
      page.items.forEach((m) => show(m));
      more = page.more && page.items.length > 0;
    }
  }

  socket.on('connect', () => {
    socket.emit(
      'room:join',
      last ? { room, sinceId: last } : { room },
      (ack: Ack<{ members: Member[]; messages: Message[]; more: boolean }>) => {
        if (!ack.ok) return say(ack.error.message);
        joined = true;
        ack.messages.forEach((m) => show(m));
        const waiting = outbox;
        outbox = [];
        waiting.forEach((go) => go());
        setPresence(ack.members, ack.members.length);
        say('Live: new messages appear as they are sent.');
        if (ack.more && last) void catchUp();
      },
    );
  });
  socket.on('disconnect', () => {
    joined = false;
    typers.forEach((_, u) => typing(u, false));
  });
  socket.on('message', (m: Message) => {
    show(m);
    typing(m.author.username, false);
  });
  // A new notification while in a room: the header's badge counts it.
  socket.on('notification', () => {
    const shown = document.querySelector('.site-nav [data-unread]')?.textContent ?? '0';
    badge((Number.parseInt(shown, 10) || 0) + 1);
  });
  socket.on('message:deleted', (e: { id: string }) => document.getElementById(`m-${e.id}`)?.remove());
  socket.on('presence', (p: { room: string; members: Member[]; count: number }) => {
    if (p.room === room) setPresence(p.members, p.count);
  });
  socket.on('typing', (e: { room: string; username: string; typing: boolean }) => {
    if (e.room === room) typing(e.username, e.typing);
  });
  socket.on('room:muted', (e: { room: string; until: string | null }) => {
    if (e.room === room)
      say(e.until ? `A moderator muted you here until ${when(e.until)}.` : 'You can write here again.');
  });
  socket.on('room:kicked', (e: { room: string; until: string | null }) => {
    if (e.room !== room) return;
    joined = false;
    say(`A moderator asked you to leave this room${e.until ? ` until ${when(e.until)}` : ''}.`);
  });

  if (!form || !input) return;

  let typedAt = 0;
  let idle = 0;
  const stopTyping = () => {
    clearTimeout(idle);
    if (typedAt && joined) socket.emit('typing', { room, typing: false });
    typedAt = 0;
  };
  input.addEventListener('input', () => {
    if (!joined) return;
    if (Date.now() - typedAt > 2500) {
      typedAt = Date.now();
      socket.emit('typing', { room, typing: true });
    }
    clearTimeout(idle);
    idle = window.setTimeout(stopTyping, 4000);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  const hint = find('#chat-hint');
  if (hint) hint.textContent += ' Enter sends; Shift+Enter starts a new line.';

  function send(text: string, clientId: string, li: HTMLElement): void {
    li.className = 'chat-msg chat-own chat-pending';
    li.querySelector('.chat-state')!.textContent = 'Sending…';
    li.querySelector('.chat-actions')?.remove();
    if (!joined) {
      li.querySelector('.chat-state')!.textContent = 'Waiting for the connection: it will be sent when you are back.';
      actions(li, text);
      outbox.push(() => li.isConnected && send(text, clientId, li));
      return;
    }
    socket
      .timeout(10_000)
      .emit(
        'message:send',
        { room, body: text, clientId },
        (err: Error | null, ack?: Ack<{ message: Message; notice?: string }>) => {
          if (!err && ack?.ok) {
            show(ack.message, li);
            if (ack.notice && !find('[data-support]')) {
              const box = make('div', 'notice notice-warn');
              box.dataset.support = '';
              box.setAttribute('role', 'alert');
              box.append(make('p', '', ack.notice));
              form!.before(box);
            }
            return;
          }
          failed(li, text, clientId, err || !ack || ack.ok ? 'The connection is slow or lost.' : ack.error.message);
        },
      );
  }

  function failed(li: HTMLElement, text: string, clientId: string, why: string): void {
    li.classList.replace('chat-pending', 'chat-failed');
    li.querySelector('.chat-state')!.textContent = `Not sent: ${why}`;
    actions(li, text, () => send(text, clientId, li));
  }

  /** "Edit" takes an unsent message back into the composer; "Try again" resends it with the same clientId. */
  function actions(li: HTMLElement, text: string, retry?: () => void): void {
    const bar = make('p', 'chat-actions');
    if (retry) {
      const again = make('button', 'secondary button-small', 'Try again');
      again.type = 'button';
      again.onclick = retry;
      bar.append(again, ' ');
    }
    const edit = make('button', 'secondary button-small', 'Edit');
    edit.type = 'button';
    edit.onclick = () => {
      li.remove();
      input!.value = input!.value ? `${text}\n${input!.value}` : text;
      input!.focus();
    };
    bar.append(edit);
    li.append(bar);
  }

  form.addEventListener('submit', (e) => {
    // A connection that will not come back (refused, ended): the form posts, as without JavaScript.
    if (!joined && !socket.active && navigator.onLine) return;
    e.preventDefault();
    const text = input.value;
    if (!/\S/.test(text)) return input.focus();
    input.value = '';
    stopTyping();
    const clientId = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
    const li = render(
      {
        id: '',
        room,
        author: { username: me ?? '', displayName: 'You' },
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
