import { randomBytes } from 'node:crypto';
import type { TestApp } from '../app';
import { bearer, type TestUser } from './users';

/** A category of its own (admin-made through the API), so tests never share counters. */
export async function createCategory(
  t: TestApp,
  admin: TestUser,
  approval: 'none' | 'new_members' | 'all' = 'none',
): Promise<{ slug: string; id: string }> {
  const slug = `cat-${randomBytes(5).toString('hex')}`;
  const res = await t.http
    .post('/api/categories')
    .set(bearer(admin.accessToken))
    .send({ slug, name: `Category ${slug}`, approval })
    .expect(201);
  return { slug, id: res.body.id as string };
}

/** Marks a member as having an approved post, so the pre-moderation of new members no longer applies. */
export async function trust(t: TestApp, user: TestUser): Promise<void> {
  await t.db.query(`UPDATE users SET first_approved_at = now() WHERE id = $1`, [user.id]);
}

export async function createThread(
  t: TestApp,
  author: TestUser,
  slug: string,
  fields: { title?: string; body?: string; anonymous?: boolean } = {},
): Promise<{ threadId: string; postId: string }> {
  const res = await t.http
    .post(`/api/categories/${slug}/threads`)
    .set(bearer(author.accessToken))
    .send({
      title: fields.title ?? 'A thread about scans',
      body: fields.body ?? 'How do you cope with scan days?',
      anonymous: fields.anonymous,
    })
    .expect(201);
  return { threadId: res.body.thread.id as string, postId: res.body.post.id as string };
}

export function reply(
  t: TestApp,
  author: TestUser,
  threadId: string,
  body: string,
  extra: Record<string, unknown> = {},
) {
  return t.http
    .post(`/api/threads/${threadId}/posts`)
    .set(bearer(author.accessToken))
    .send({ body, ...extra });
}
