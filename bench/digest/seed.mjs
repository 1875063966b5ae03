/**
 * The digest benchmark's data, in set-based SQL: authors, one category of 25 threads and 25 article pages (the 50
 * active places), replies and comments published in two daily windows (each recorded in subscription_activity, as
 * the fan-out job records them), and confirmed daily subscriptions spread round-robin over the 50 places: half
 * members (their own confirmed address, UTC), half guests.
 */
export const PLACES = { threads: 25, pages: 25 };
/** Items per place and window: more than a digest shows (20), so every digest says "there is more". */
export const ITEMS_PER_WINDOW = 24;
const AUTHORS = 10;
const DAY = 86_400_000;

/** Two digest moments, 08:30 UTC yesterday and today, whose windows are the two days before them. */
export function digestMoments(now = Date.now()) {
  const d = new Date(now);
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), 8, 30);
  return [new Date(today - DAY), new Date(today)];
}

export async function seedContent(db, moments) {
  await db.query(
    `INSERT INTO users (id, username, email, password_hash, display_name, first_approved_at, email_verified_at)
     OVERRIDING SYSTEM VALUE
     SELECT g, 'bench_author_' || g, 'bench_author_' || g || '@bench.invalid', '!', 'Bench author ' || g, now(), now()
       FROM generate_series(1, $1::int) g`,
    [AUTHORS],
  );
  await db.query(
    `INSERT INTO categories (id, slug, name, description, approval, position) OVERRIDING SYSTEM VALUE
     VALUES (1, 'bench-digests', 'Bench digests', 'Threads for the digest benchmark', 'none', 1)`,
  );
  await db.query(
    `INSERT INTO threads (id, category_id, author_id, title, status, created_at, last_post_at) OVERRIDING SYSTEM VALUE
     SELECT g, 1, 1 + g % $2, 'Bench thread ' || g, 'published', now() - interval '10 days', now()
       FROM generate_series(1, $1::int) g`,
    [PLACES.threads, AUTHORS],
  );
  await db.query(
    `INSERT INTO posts (id, thread_id, author_id, body, body_html, status, created_at) OVERRIDING SYSTEM VALUE
     SELECT g, g, 1 + g % $2, 'The opening post of bench thread ' || g, '<p>Opening</p>', 'published',
            now() - interval '10 days'
       FROM generate_series(1, $1::int) g`,
    [PLACES.threads, AUTHORS],
  );
  await db.query(`UPDATE threads SET first_post_id = id`);
  await db.query(`SELECT setval(pg_get_serial_sequence('posts', 'id'), (SELECT max(id) FROM posts))`);
  await db.query(
    `INSERT INTO pages (id, key, title, url) OVERRIDING SYSTEM VALUE
     SELECT g, 'bench-page-' || g, 'Bench article ' || g, 'https://example.org/bench/' || g
       FROM generate_series(1, $1::int) g`,
    [PLACES.pages],
  );
  for (const [w, moment] of moments.entries()) {
    // The window's start (the day before the moment's 08:00) plus an hour, then one item a minute.
    const start = new Date(moment.getTime() - 30 * 60_000 - DAY + 3600_000);
    await db.query(
      `WITH plan AS (
         SELECT t, i, $4::timestamptz + (i * interval '1 minute') AS at
           FROM generate_series(1, $1::int) t, generate_series(1, $2::int) i)
       INSERT INTO posts (thread_id, author_id, body, body_html, status, created_at)
       SELECT t, 1 + (t + i) % $3, 'Reply ' || i || ' in window ${w}: what helped me this week was a short walk, '
              || 'a warm drink and a friend who listened without trying to fix anything.', '<p>Reply</p>',
              'published', at
         FROM plan ORDER BY at, t`,
      [PLACES.threads, ITEMS_PER_WINDOW, AUTHORS, start],
    );
    await db.query(
      `WITH plan AS (
         SELECT p, i, $3::timestamptz + (i * interval '1 minute') AS at
           FROM generate_series(1, $1::int) p, generate_series(1, $2::int) i)
       INSERT INTO comments (page_id, author_name, body, body_html, status, created_at)
       SELECT p, 'Reader ' || i, 'Comment ' || i || ' in window ${w}: thank you for writing this so plainly.',
              '<p>Comment</p>', 'published', at
         FROM plan ORDER BY at, p`,
      [PLACES.pages, ITEMS_PER_WINDOW, start],
    );
  }
  await db.query(
    `INSERT INTO subscription_activity (content_type, content_id, target_type, target_id, published_at)
     SELECT 'post', p.id, 'thread', p.thread_id, p.created_at FROM posts p JOIN threads t ON t.id = p.thread_id
      WHERE p.id <> t.first_post_id
     UNION ALL
     SELECT 'comment', c.id, 'page', c.page_id, c.created_at FROM comments c`,
  );
  await db.query(`UPDATE pages SET comment_count = (SELECT count(*) FROM comments c WHERE c.page_id = pages.id)`);
  // Ids were given above: identities continue after them (Haven seeds its starter community and page at start).
  for (const t of ['users', 'categories', 'threads', 'posts', 'pages']) {
    await db.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT max(id) FROM ${t}))`);
  }
}

/**
 * Confirmed daily subscriptions numbered (from, to]: even numbers are members (a user each), odd ones guests;
 * number n follows place n % 50 (threads first, then pages).
 */
export async function seedSubscribers(db, from, to) {
  await db.query(
    `INSERT INTO users (id, username, email, password_hash, display_name, email_verified_at) OVERRIDING SYSTEM VALUE
     SELECT 1000 + g, 'bench_sub_' || g, 'bench_sub_' || g || '@bench.invalid', '!', 'Subscriber ' || g, now()
       FROM generate_series($1::int + 1, $2::int) g WHERE g % 2 = 0`,
    [from, to],
  );
  const places = PLACES.threads + PLACES.pages;
  await db.query(
    `INSERT INTO subscriptions (user_id, address, subscriber, target_type, target_id, frequency, confirmed_at, created_at)
     SELECT CASE WHEN g % 2 = 0 THEN 1000 + g END,
            CASE WHEN g % 2 = 1 THEN 'bench_guest_' || g || '@bench.invalid' END,
            CASE WHEN g % 2 = 0 THEN 'u:' || (1000 + g) ELSE 'a:bench' || g END,
            CASE WHEN g % $3 < $4 THEN 'thread' ELSE 'page' END,
            CASE WHEN g % $3 < $4 THEN 1 + g % $3 ELSE 1 + g % $3 - $4 END,
            'daily', now() - interval '5 days', now() - interval '5 days'
       FROM generate_series($1::int + 1, $2::int) g`,
    [from, to, places, PLACES.threads],
  );
  await db.query(`SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))`);
  await db.query(`ANALYZE`);
}
