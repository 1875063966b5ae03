import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from '../app';
import { ChatClients, createRoom, send } from '../factories/chat';
import { createCategory, createThread, reply, trust } from '../factories/forums';
import { bearer, createUser, type TestUser } from '../factories/users';
import { startSmtp, type TestSmtp } from './smtp';

export interface AccountApp {
  t: TestApp;
  smtp: TestSmtp;
  admin: TestUser;
  mod: TestUser;
  slug: string;
  room: string;
  page: string;
  chat: ChatClients;
  close(): Promise<void>;
}

/** An app that mails to a real SMTP server, with a category, a chat room and an article of the spec's own. */
export async function startAccountApp(): Promise<AccountApp> {
  const smtp = await startSmtp();
  const t = await startTestApp({ SMTP_URL: smtp.url });
  const admin = await createUser(t, { role: 'admin' });
  const mod = await createUser(t, { role: 'moderator' });
  const { slug } = await createCategory(t, admin);
  const room = (await createRoom(t, mod)).slug;
  const page = `page-${randomBytes(4).toString('hex')}`;
  await t.http
    .put(`/api/pages/${page}`)
    .set(bearer(admin.accessToken))
    .send({ title: 'An article', url: 'https://example.org/a' })
    .expect(201);
  const chat = new ChatClients();
  return {
    t,
    smtp,
    admin,
    mod,
    slug,
    room,
    page,
    chat,
    close: async () => {
      chat.closeAll();
      await t.close();
      await smtp.close();
    },
  };
}

/** A trusted member who has written a bit of everything, each piece carrying `mark` so it can be found. */
export async function memberWithContent(a: AccountApp, mark: string) {
  const { t } = a;
  const user = await createUser(t);
  await trust(t, user);
  const thread = await createThread(t, user, a.slug, { title: `Thread ${mark}`, body: `Opening words ${mark}` });
  const replied = await reply(t, user, thread.threadId, `A reply ${mark}`).expect(201);
  const comment = await t.http
    .post(`/api/pages/${a.page}/comments`)
    .set(bearer(user.accessToken))
    .send({ body: `A comment ${mark}` })
    .expect(201);
  await t.http.put(`/api/pages/${a.page}/rating`).set(bearer(user.accessToken)).send({ stars: 4 }).expect(200);
  const { socket } = await a.chat.joined(t, user, a.room);
  const message = await send(socket, a.room, `A chat message ${mark}`);
  socket.disconnect();
  return {
    user,
    threadId: thread.threadId,
    openingPostId: thread.postId,
    replyId: (replied.body as { id: string }).id,
    commentId: (comment.body as { id: string }).id,
    messageId: message.message.id,
  };
}

/** supertest: the body as raw bytes. */
export function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

export const gunzipJson = (bytes: Buffer) => JSON.parse(gunzipSync(bytes).toString('utf8')) as Record<string, unknown>;
