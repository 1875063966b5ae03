import type { Response } from 'supertest';
import { startTestApp, type TestApp } from '../app';
import { createCategory, createThread, reply, trust } from '../factories/forums';
import { bearer, createUser, type TestUser } from '../factories/users';
import { type BrowserSession, signInBrowser } from '../factories/web';
import type { QueueItem } from './moderation-app';

export interface ModerationPagesApp {
  t: TestApp;
  admin: TestUser;
  mod: TestUser;
  member: TestUser;
  adminB: BrowserSession;
  modB: BrowserSession;
  memberB: BrowserSession;
  /** A forum category of the app's own, for posts to moderate. */
  slug: string;
}

/** The app the moderation page specs share: content hides at the third report; an admin, a moderator and a
 * member, each signed in with a browser; a category. */
export async function startModerationPagesApp(): Promise<ModerationPagesApp> {
  const t = await startTestApp({ AUTO_HIDE_REPORTS: '3' });
  const [admin, mod, member] = await Promise.all([
    createUser(t, { role: 'admin' }),
    createUser(t, { role: 'moderator' }),
    createUser(t),
  ]);
  const [adminB, modB, memberB] = await Promise.all([admin, mod, member].map((u) => signInBrowser(t, u)));
  const slug = (await createCategory(t, admin)).slug;
  return { t, admin, mod, member, adminB, modB, memberB, slug };
}

/** The moderation page specs' helpers; `app` is read when a helper is called (the app starts in beforeAll). */
export function moderationPageHelpers(app: () => Pick<ModerationPagesApp, 't' | 'mod' | 'slug'>) {
  const get = (who: BrowserSession | undefined, path: string) => {
    const req = app().t.http.get(path);
    return who ? req.set('Cookie', who.cookie) : req;
  };
  /** A form POST as the browser sends it; `csrf: false` leaves the token out. */
  const post = (who: BrowserSession | undefined, path: string, form: Record<string, string> = {}, csrf = true) => {
    const req = app().t.http.post(path).type('form');
    if (who) void req.set('Cookie', who.cookie);
    return req.send({ ...form, ...(csrf && who ? { _csrf: who.csrf } : {}) });
  };
  /** The flash message a redirect leaves for the next page. */
  const flashOf = (res: Response) => {
    const cookies = ([] as string[]).concat((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
    const flash = cookies.find((c) => c.startsWith('haven_flash='));
    return flash ? decodeURIComponent(flash.split(';')[0].slice('haven_flash='.length)) : undefined;
  };

  /** The queue entry of a target, from the API (paging through the whole open queue). */
  const itemFor = async (targetType: string, targetId: string, status = 'open'): Promise<QueueItem> => {
    const { t, mod } = app();
    let cursor: string | undefined;
    for (;;) {
      const res = await t.http
        .get(`/api/moderation/queue?limit=100&status=${status}${cursor ? `&cursor=${cursor}` : ''}`)
        .set(bearer(mod.accessToken))
        .expect(200);
      const found = (res.body.items as QueueItem[]).find((i) => i.targetType === targetType && i.targetId === targetId);
      if (found) return found;
      cursor = res.body.nextCursor as string | undefined;
      if (!cursor) throw new Error(`${targetType} ${targetId} is not in the ${status} queue`);
    }
  };

  /** The queue page's HTML of one entry, following "Next page" links until it shows up. */
  const cardOn = async (who: BrowserSession, itemId: string, start = '/mod'): Promise<string> => {
    let path: string | undefined = start;
    while (path) {
      const res: Response = await get(who, path).expect(200);
      const at = res.text.indexOf(`id="item-${itemId}-heading"`);
      if (at >= 0) {
        const end = res.text.indexOf('</article>', at);
        return res.text.slice(at, end);
      }
      path = /<a href="([^"]+)">Next page<\/a>/.exec(res.text)?.[1]?.replace(/&amp;/g, '&');
    }
    throw new Error(`queue item ${itemId} is not on the queue pages from ${start}`);
  };

  const reportPost = async (reporter: TestUser, postId: string, reason: string, note?: string) =>
    app()
      .t.http.post('/api/reports')
      .set(bearer(reporter.accessToken))
      .send({ targetType: 'post', targetId: postId, reason, note })
      .expect(201);

  const postOf = async (author: TestUser, body: string, anonymous = false) => {
    const { t, slug } = app();
    await trust(t, author);
    const { threadId } = await createThread(t, author, slug, { title: 'Scan day nerves' });
    const r = await reply(t, author, threadId, body, { anonymous }).expect(201);
    return { threadId, postId: r.body.id as string };
  };
  return { get, post, flashOf, itemFor, cardOn, reportPost, postOf };
}
