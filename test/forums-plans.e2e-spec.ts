import { startTestApp, type TestApp } from './app';
import { createCategory, createThread, trust } from './factories/forums';
import { createUser } from './factories/users';
import { NUMBERED_PAGE, POSTS_PAGE } from '../src/forums/posts/posts.service';
import { THREAD_LIST, THREAD_PAGE, VISIBLE_THREAD } from '../src/forums/threads/threads.service';
import { genericPlan } from './support/plans';

/**
 * The forum's hot reads are prepared statements: after a few calls PostgreSQL may keep one generic plan for each,
 * planned without the parameter values. Every such plan must still seek by its index (a thread's page, the page
 * after a cursor, a category's list) on a forum large enough for the planner to care.
 */
describe('Forum reads: prepared statements keep plans that seek (e2e)', () => {
  let t: TestApp;
  let category: { slug: string; id: string };
  let threadId: string;
  let memberId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await createUser(t, { role: 'admin' });
    const member = await createUser(t);
    await trust(t, member);
    memberId = member.id;
    category = await createCategory(t, admin);
    ({ threadId } = await createThread(t, member, category.slug));
    // 3,000 posts in this thread and 600 threads in its category, written in SQL (the API is not what is tested).
    await t.db.query(
      `INSERT INTO posts (thread_id, author_id, body, body_html, status)
       SELECT $1, $2, 'post ' || n, '<p>post ' || n || '</p>', 'published' FROM generate_series(1, 3000) n`,
      [threadId, member.id],
    );
    await t.db.query(
      `INSERT INTO threads (category_id, author_id, title, status, last_post_at)
       SELECT $1, $2, 'thread ' || n, 'published', now() - n * interval '1 minute' FROM generate_series(1, 600) n`,
      [category.id, member.id],
    );
    await t.db.query(`ANALYZE posts; ANALYZE threads; ANALYZE post_reactions`);
  });

  afterAll(() => t.close());

  it("reads a thread's page, and the page after a cursor, by the thread's index", async () => {
    for (const [statement, extra] of [
      [POSTS_PAGE.first, []],
      [POSTS_PAGE.after, ['1500']],
    ] as const) {
      const plan = await genericPlan(t.db, statement, [threadId, memberId, false, 21, ...extra]);
      // The page is cut straight off the ordered index (only the page's own rows are sorted, after the authors).
      expect(plan).toMatch(/Limit[^\n]*\n\s*->\s+Index Scan using ix_posts_thread on posts p/);
      if (extra.length) expect(plan).toMatch(/Index Cond: \(\(thread_id = \$1\) AND \(id > /);
      expect(plan).not.toMatch(/Seq Scan on posts|Bitmap Heap Scan on posts/);
    }
    for (const statement of [NUMBERED_PAGE, THREAD_PAGE.html, THREAD_PAGE.withSource]) {
      const numbered = await genericPlan(t.db, statement, [threadId, 20, memberId, false, 1500]);
      expect(numbered).toMatch(/ix_posts_thread/);
      expect(numbered).not.toMatch(/Seq Scan on posts/);
    }
    const thread = await genericPlan(t.db, VISIBLE_THREAD, [threadId, memberId]);
    expect(thread).toMatch(/Index Scan using \S+ on threads t/);
  });

  it("reads a category's list, and its next page, by the list index without sorting", async () => {
    const first = await genericPlan(t.db, THREAD_LIST.first, [category.slug, memberId, 21]);
    expect(first).toMatch(/Index Scan Backward using ix_threads_list on threads t/);
    expect(first).not.toMatch(/Sort\b/);
    const after = await genericPlan(t.db, THREAD_LIST.after, [
      category.slug,
      memberId,
      21,
      false,
      String(Date.now() * 1000),
      '999999999',
    ]);
    expect(after).toMatch(/Index Scan Backward using ix_threads_list on threads t/);
    expect(after).toMatch(/Index Cond: .*ROW\(pinned, last_post_at, id\) < ROW\(\$4/);
    expect(after).not.toMatch(/Sort\b/);
  });
});
