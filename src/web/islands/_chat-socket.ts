/**
 * The chat socket, shared by the chat and notifications islands (one chunk with socket.io-client). The page's
 * session cookie is not a token: the island first asks POST /chat/socket-token (with the page's CSRF token) for a
 * short-lived access token of this browser's own session, and asks again whenever a (re)connection needs a fresh one.
 */
import { io, type Socket } from 'socket.io-client';
import { postJson } from './_dom';

/** The few payloads the islands read (the server's event map is src/chat/chat-events.ts). */
export interface Message {
  id: string;
  room: string;
  author: { username: string; displayName: string };
  body: string | null;
  bodyHtml: string;
  clientId: string;
  status: string;
  createdAt: string;
}
export interface Member {
  username: string;
  displayName: string;
}
export type AckError = { statusCode: number; message: string };
export type Ack<T> = ({ ok: true } & T) | { ok: false; error: AckError };

let token: { accessToken: string; accessTokenExpiresAt: string } | undefined;

/** A token that is good for at least another half minute. */
export async function accessToken(): Promise<string> {
  if (!token || Date.parse(token.accessTokenExpiresAt) - Date.now() < 30_000) {
    token = undefined;
    token = await postJson<NonNullable<typeof token>>('/chat/socket-token', {});
  }
  return token.accessToken;
}

/**
 * Connects to /chat (WebSocket only, as behind a load balancer without sticky sessions). `say` tells the page how
 * the connection is doing, in words. Undefined when no token can be had (a guest, a silenced member): the page then
 * stays as the server rendered it, and its forms still work.
 */
export async function chatSocket(say: (text: string) => void): Promise<Socket | undefined> {
  try {
    await accessToken();
  } catch {
    say('Live updates are off on this page just now: reload it to see what is new.');
    return undefined;
  }
  const socket = io('/chat', {
    transports: ['websocket'],
    auth: (cb) => {
      accessToken().then(
        (t) => cb({ token: t }),
        () => cb({}),
      );
    },
  });
  let refusals = 0;
  let ended = false;
  socket.on('connect', () => {
    refusals = 0;
  });
  socket.on('connect_error', (err: Error & { data?: { statusCode?: number } }) => {
    if (socket.active) return say('Reconnecting…');
    // Refused by the server: a stale token gets a fresh one and a few more tries; anything else is said.
    if (err.data?.statusCode === 401 && refusals++ < 3) {
      token = undefined;
      setTimeout(() => socket.connect(), 1000 * refusals);
      return say('Reconnecting…');
    }
    say(`Live updates are off: ${err.message}`);
  });
  socket.on('disconnect', (reason) => {
    if (socket.active) say('Reconnecting…');
    else if (reason !== 'io client disconnect' && !ended) say('Live updates are off.');
  });
  // A phone that loses its network keeps a dead socket until the ping times out: let go at once, come back at once.
  addEventListener('offline', () => {
    if (ended) return;
    socket.disconnect();
    say('You are offline. The room will catch up when you are back.');
  });
  addEventListener('online', () => {
    if (!socket.connected && !ended) socket.connect();
  });
  socket.on('session:ended', (e: { message: string }) => {
    ended = true;
    say(`Live updates are off: ${e.message}`);
  });
  return socket;
}

/** The header's badge next to the Notifications link: the count, or none at 0. */
export function badge(count: number): void {
  const link = document.querySelector<HTMLAnchorElement>('.site-nav a[href="/notifications"]');
  let el = link?.querySelector<HTMLElement>('[data-unread]');
  if (!link) return;
  if (count === 0) return el?.remove();
  if (!el) {
    el = document.createElement('span');
    el.className = 'badge';
    el.dataset.unread = '';
    link.append(' ', el);
  }
  const hidden = document.createElement('span');
  hidden.className = 'visually-hidden';
  hidden.textContent = ' unread';
  el.replaceChildren(String(count), hidden);
}
