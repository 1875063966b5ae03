import { randomBytes } from 'node:crypto';
import { ContentRegistry } from '../src/publishing/content-registry';
import { startTestApp, type TestApp } from './app';
import { createCategory, createThread, reply, trust } from './factories/forums';
import { bearer, createUser, type TestUser } from './factories/users';
import { type BrowserSession, signInBrowser } from './factories/web';

/** Polls `probe` until it returns a value, or fails after `ms`. */
async function eventually<T>(probe: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing arrived within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const ids = (res: { body: { items: Array<{ id?: string; postId?: string }> } }) =>
  res.body.items.map((i) => i.postId ?? i.id);

describe('One content policy (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let mod: TestUser;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await createUser(t, { role: 'admin' });
    mod = await createUser(t, { role: 'moderator' });
  });
  afterAll(() => t.close());

  describe('blocking and anonymous content (defect 1)', () => {
    it('shows anonymous threads and posts the same to a member whoever they block', async () => {
      const word = `quokka${randomBytes(4).toString('hex')}`;
      const { slug } = await createCategory(t, admin);
      const suspect = await createUser(t);
      const other = await createUser(t);
      const viewer = await createUser(t);
      await Promise.all([trust(t, suspect), trust(t, other), trust(t, viewer)]);

      const anonThread = await createThread(t, suspect, slug, {
        title: `Anonymous ${word} thread`,
        body: `Written without a name: ${word} opening`,
        anonymous: true,
      });
      const { threadId } = await createThread(t, other, slug, { title: 'A named thread' });
      const anonReply = await reply(t, suspect, threadId, `An anonymous ${word} reply`, { anonymous: true }).expect(
        201,
      );
      const namedReply = await reply(t, suspect, threadId, 'A reply with my name on it').expect(201);
      const browser: BrowserSession = await signInBrowser(t, viewer);
      // Other suites start threads at the same time, and the home page shows only the newest few: whether it shows
      // this thread is compared with what a member who blocks no one sees in the same instant.
      const bystander = await createUser(t);
      const bystanderBrowser: BrowserSession = await signInBrowser(t, bystander);

      const seen = async () => {
        const as = bearer(viewer.accessToken);
        const [list, posts, anonPosts, search] = await Promise.all([
          t.http.get(`/api/categories/${slug}/threads`).set(as).expect(200),
          t.http.get(`/api/threads/${threadId}/posts`).set(as).expect(200),
          t.http.get(`/api/threads/${anonThread.threadId}/posts`).set(as).expect(200),
          t.http.get(`/api/search?q=${word}`).set(as).expect(200),
        ]);
        const page = (path: string, cookie = browser.cookie) => t.http.get(path).set('Cookie', cookie).expect(200);
        const [home, bystanderHome, category, threadPage, anonPage, searchPage] = await Promise.all([
          page('/'),
          page('/', bystanderBrowser.cookie),
          page(`/c/${slug}`),
          page(`/t/${threadId}`),
          page(`/t/${anonThread.threadId}`),
          page(`/search?q=${word}`),
        ]);
        return {
          list: ids(list),
          posts: ids(posts),
          anonPosts: ids(anonPosts),
          search: ids(search).sort(),
          homeShowsAnonThreadAsToBystander:
            home.text.includes(`Anonymous ${word} thread`) === bystanderHome.text.includes(`Anonymous ${word} thread`),
          categoryShowsAnonThread: category.text.includes(`Anonymous ${word} thread`),
          threadPageShowsAnonReply: threadPage.text.includes(`An anonymous ${word} reply`),
          anonPageShowsOpening: anonPage.text.includes(`${word} opening`),
          searchPageHits: searchPage.text.split(word).length - 1,
        };
      };

      const before = await seen();
      expect(before.list).toContain(anonThread.threadId);
      expect(before.posts).toEqual(expect.arrayContaining([anonReply.body.id, namedReply.body.id]));
      expect(before.anonPosts).toEqual([anonThread.postId]);
      expect(before.search).toEqual([anonReply.body.id, anonThread.postId, anonThread.postId].sort());
      expect(before).toMatchObject({
        homeShowsAnonThreadAsToBystander: true,
        categoryShowsAnonThread: true,
        threadPageShowsAnonReply: true,
        anonPageShowsOpening: true,
      });

      await t.http.post(`/api/users/${suspect.username}/block`).set(bearer(viewer.accessToken)).expect(204);
      const blocked = await seen();
      // The block still works on what carries the suspect's name...
      expect(blocked.posts).not.toContain(namedReply.body.id);
      // ...and nothing anonymous moved.
      expect({ ...blocked, posts: blocked.posts.filter((id) => id !== namedReply.body.id) }).toEqual({
        ...before,
        posts: before.posts.filter((id) => id !== namedReply.body.id),
      });

      await t.http.delete(`/api/users/${suspect.username}/block`).set(bearer(viewer.accessToken)).expect(204);
      expect(await seen()).toEqual(before);
    });

    it('notifies a member of an anonymous reply even from someone they block (a missing one would name them)', async () => {
      const { slug } = await createCategory(t, admin);
      const suspect = await createUser(t);
      const viewer = await createUser(t);
      await Promise.all([trust(t, suspect), trust(t, viewer)]);
      const { threadId } = await createThread(t, viewer, slug, { title: 'My own thread' });
      await t.http.post(`/api/users/${suspect.username}/block`).set(bearer(viewer.accessToken)).expect(204);
      const anon = await reply(t, suspect, threadId, 'an anonymous answer', { anonymous: true }).expect(201);

      const note = await eventually(async () => {
        const res = await t.http.get('/api/notifications').set(bearer(viewer.accessToken)).expect(200);
        return (res.body.items as Array<{ data: { postId: string } }>).find((n) => n.data.postId === anon.body.id);
      });
      expect(note).toMatchObject({
        kind: 'reply',
        data: { threadId, by: { username: null, displayName: 'Anonymous member' } },
      });
    });
  });

  describe('a thread and its posts answer alike (defect 3)', () => {
    const answers = async (threadId: string, postId: string, who?: TestUser) => {
      const as = who ? bearer(who.accessToken) : {};
      const [thread, posts, revisions] = await Promise.all([
        t.http.get(`/api/threads/${threadId}`).set(as),
        t.http.get(`/api/threads/${threadId}/posts`).set(as),
        t.http.get(`/api/posts/${postId}/revisions`).set(as),
      ]);
      return { thread: thread.status, posts: posts.status, post: who ? revisions.status : 404 };
    };

    it('lets the author of a hidden thread read it and its posts; others get 404 from both', async () => {
      const { slug } = await createCategory(t, admin);
      const author = await createUser(t);
      const member = await createUser(t);
      await trust(t, author);
      const { threadId, postId } = await createThread(t, author, slug, { title: 'To be hidden' });
      await t.app.get(ContentRegistry).get('thread').setStatus(threadId, 'hidden');

      expect(await answers(threadId, postId, author)).toEqual({ thread: 200, posts: 200, post: 200 });
      const posts = await t.http.get(`/api/threads/${threadId}/posts`).set(bearer(author.accessToken)).expect(200);
      // The author sees where the opening post is, not its text, while moderators look at it.
      expect(posts.body.items).toEqual([expect.objectContaining({ id: postId, status: 'hidden', body: null })]);
      expect(await answers(threadId, postId, member)).toEqual({ thread: 404, posts: 404, post: 404 });
      expect(await answers(threadId, postId)).toEqual({ thread: 404, posts: 404, post: 404 });
      expect(await answers(threadId, postId, mod)).toEqual({ thread: 200, posts: 200, post: 200 });
    });

    it('lets the author of a pending thread read it and its posts; others get 404 from both', async () => {
      const { slug } = await createCategory(t, admin, 'all');
      const author = await createUser(t);
      const member = await createUser(t);
      const res = await t.http
        .post(`/api/categories/${slug}/threads`)
        .set(bearer(author.accessToken))
        .send({ title: 'Waiting for review', body: 'Held until a moderator looks' })
        .expect(202);
      const threadId = res.body.thread.id as string;
      const postId = res.body.post.id as string;

      expect(await answers(threadId, postId, author)).toEqual({ thread: 200, posts: 200, post: 200 });
      expect(await answers(threadId, postId, member)).toEqual({ thread: 404, posts: 404, post: 404 });
      expect(await answers(threadId, postId)).toEqual({ thread: 404, posts: 404, post: 404 });
      expect(await answers(threadId, postId, mod)).toEqual({ thread: 200, posts: 200, post: 200 });
    });
  });
});
