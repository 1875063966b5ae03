import { startTestApp, type TestApp } from '../app';
import { createCategory, createThread, reply } from '../factories/forums';
import { bearer, createUser, type TestUser } from '../factories/users';

/** A moderation queue item as the API lists it. */
export interface QueueItem {
  id: string;
  targetType: string;
  targetId: string;
  priority: number;
  crisis: boolean;
  reasons: string[];
  reportCount: number;
  reports: {
    count: number;
    byReason: Record<string, number>;
    items: Array<{ reporter: string; reason: string; note: string | null }>;
  };
  content: { status: string; body: string } | null;
  author: { username: string; approvedPosts: number; sanctions: unknown[] } | null;
}

export interface ModerationApp {
  t: TestApp;
  admin: TestUser;
  mod: TestUser;
  /** A forum category of the app's own, for posts to moderate. */
  slug: string;
}

/** The app the moderation API specs share: content hides at the third report; an admin, a moderator, a category. */
export async function startModerationApp(): Promise<ModerationApp> {
  const t = await startTestApp({ AUTO_HIDE_REPORTS: '3' });
  const admin = await createUser(t, { role: 'admin' });
  const mod = await createUser(t, { role: 'moderator' });
  const slug = (await createCategory(t, admin)).slug;
  return { t, admin, mod, slug };
}

/** The moderation specs' helpers; `app` is read when a helper is called (the app starts in beforeAll). */
export function moderationHelpers(app: () => Pick<ModerationApp, 't' | 'mod' | 'slug'>) {
  const queue = async (query = ''): Promise<QueueItem[]> => {
    const { t, mod } = app();
    return (await t.http.get(`/api/moderation/queue?limit=100${query}`).set(bearer(mod.accessToken)).expect(200)).body
      .items;
  };
  const itemFor = async (targetType: string, targetId: string) =>
    (await queue()).find((i) => i.targetType === targetType && i.targetId === targetId);
  const postOf = async (author: TestUser, body = 'A post someone may dislike') => {
    const { t, slug } = app();
    const { threadId } = await createThread(t, author, slug);
    const r = await reply(t, author, threadId, body).expect(201);
    return { threadId, postId: r.body.id as string };
  };
  return { queue, itemFor, postOf };
}
