import { randomBytes } from 'node:crypto';
import type { TestApp } from '../app';
import { bearer, solvedCaptcha, type TestUser } from '../factories/users';
import { advanceClock } from './clock';

/** The email every guest comment in the comment specs gives; it must never be shown. */
export const EMAIL = 'guest.secret@example.org';

/** The comment specs' helpers; `app` is read when a helper is called (the app starts in beforeAll). */
export function commentHelpers(app: () => { t: TestApp; admin: TestUser; mod: TestUser }) {
  const newPage = async () => {
    const { t, admin } = app();
    const key = `page-${randomBytes(4).toString('hex')}`;
    await t.http
      .put(`/api/pages/${key}`)
      .set(bearer(admin.accessToken))
      .send({ title: 'An article', url: 'https://example.org/a' })
      .expect(201);
    return key;
  };
  /** A guest's comment, sent as a person would: a while after fetching the captcha. */
  const guestComment = async (key: string, fields: Record<string, unknown>, status: number) => {
    const { t } = app();
    const captcha = await solvedCaptcha(t.http);
    advanceClock(t, 3); // past the "sent within 3 s of the captcha" spam signal, wherever challenges are kept
    return t.http
      .post(`/api/pages/${key}/comments`)
      .send({
        body: 'Thank you for this article.',
        authorName: 'Maria',
        authorEmail: EMAIL,
        acceptTerms: true,
        captcha,
        ...fields,
      })
      .expect(status);
  };
  const approve = async (targetId: string) => {
    const { t, mod } = app();
    const q = await t.http.get('/api/moderation/queue?type=comment&limit=100').set(bearer(mod.accessToken)).expect(200);
    const item = q.body.items.find((i: { targetId: string }) => i.targetId === targetId);
    expect(item).toBeDefined();
    await t.http
      .post(`/api/moderation/queue/${item.id}/resolve`)
      .set(bearer(mod.accessToken))
      .send({ action: 'approve' })
      .expect(200);
    return item as { reasons: string[] };
  };
  return { newPage, guestComment, approve };
}
