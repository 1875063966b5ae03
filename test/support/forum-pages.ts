import type { TestApp } from '../app';
import { trust } from '../factories/forums';
import { createUser, type TestUser } from '../factories/users';
import { type BrowserSession, signInBrowser } from '../factories/web';
import { startAppWithStaff } from './staff-app';

/** The text of an HTML page without tags, spaces collapsed (for "does the reader see this"). */
export const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

export const scriptCount = (html: string) => (html.match(/<script\b/g) ?? []).length;

export interface ForumPagesApp {
  t: TestApp;
  admin: TestUser;
  mod: TestUser;
  /** The moderator, signed in with a browser. */
  modBrowser: BrowserSession;
}

/** The app the forum page specs share: an admin, and a moderator signed in with a browser. */
export async function startForumPagesApp(): Promise<ForumPagesApp> {
  const { t, admin, mod } = await startAppWithStaff();
  const modBrowser = await signInBrowser(t, mod);
  return { t, admin, mod, modBrowser };
}

/** The forum page specs' helpers; `app` is read when a helper is called (the app starts in beforeAll). */
export function forumPageHelpers(app: () => TestApp) {
  const get = (path: string, browser?: BrowserSession) => {
    const req = app().http.get(path);
    return browser ? req.set('Cookie', browser.cookie) : req;
  };
  const post = (path: string, browser: BrowserSession, form: Record<string, string>, csrf = true) =>
    app()
      .http.post(path)
      .set('Cookie', browser.cookie)
      .type('form')
      .send(csrf ? { _csrf: browser.csrf, ...form } : form);

  /** A trusted member (past pre-moderation) with a browser session. */
  const member = async (displayName?: string) => {
    const t = app();
    const user = await createUser(t);
    await trust(t, user);
    if (displayName) await t.db.query(`UPDATE users SET display_name = $2 WHERE id = $1`, [user.id, displayName]);
    return { user, browser: await signInBrowser(t, user) };
  };
  return { get, post, member };
}
