#!/usr/bin/env node
/**
 * Thread page benchmark: the server-rendered thread page (`GET /t/:id`) against the same thread's JSON
 * (`GET /api/threads/:id` and `GET /api/threads/:id/posts`, the two calls a client makes to show that page).
 * Issue 7's budget: the HTML page takes at most 1.5x the JSON route's time.
 *
 *   npm run build && node bench/web-thread.mjs        (or: npm run bench:web-thread)
 *
 * One command, bounded, loopback only:
 *  1. creates a fresh database haven_bench_web_<random> on DATABASE_URL (default the local `test` server), starts
 *     the built Haven (`node dist/main.js`, NODE_ENV=test: templates compiled once and cached, as in production;
 *     RATE_LIMITS=off), which applies the migrations and plants the starter community;
 *  2. seeds a realistic thread in SQL: 60 posts by 40 members (a first page of 20), Markdown bodies of 400-1,400
 *     characters with emphasis, lists, quotes and links rendered by Haven's own renderer, reactions on most posts,
 *     two content warnings and an anonymous reply, consistent counters; VACUUM ANALYZE;
 *  3. checks that the page and the JSON show the same 20 posts, for a guest and for a signed-in member (a browser
 *     session cookie for the page, a bearer token for the JSON);
 *  4. measures with autocannon, interleaved in rounds (HTML, JSON, HTML, ... with the order flipped each round):
 *     requests per second, latency p50/p99 of a page view (for JSON, a connection's thread + posts pair), and the
 *     ratio of the HTML page's time to the JSON pair's time, by throughput and by median latency;
 *  5. stops Haven and drops the database. Exit code 0 within budget, 1 over it, 2 the run broke.
 *
 * Knobs (environment): DATABASE_URL, BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (3),
 * BENCH_CONNECTIONS (10), BENCH_AS (guest,member), BENCH_GZIP=1 (ask for gzip, as browsers do),
 * BENCH_HAVEN_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_KEEP_DB=1.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const env = process.env;
const num = (name, fallback) => (env[name] ? Number(env[name]) : fallback);
const ROUNDS = num('BENCH_ROUNDS', 3);
const SECONDS = num('BENCH_SECONDS', 5);
const WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 3);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
const AUDIENCES = (env.BENCH_AS ?? 'guest,member').split(',').filter(Boolean);
const GZIP = env.BENCH_GZIP === '1';
const KEEP_DB = env.BENCH_KEEP_DB === '1';
const BUDGET = 1.5;
const HARD_LIMIT_MS = 8 * 60_000;

const MEMBERS = 40;
const POSTS = 60;
const PASSWORD = 'bench-password-123';
const CATEGORY = 'living-with-mbc';

const T0 = Date.now();
const log = (...a) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(5)} s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ----- a realistic thread -----------------------------------------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = `the and of to a in that it is was for on with as have be at this but they not you from by or one had all
were we when there can an your which their said if will each about how up out them then many some so these would into
has more two like see time could no make than first been its who now people my made over did down only way find use
may long little very after called just where most know get through back much before go good new our used me too any
day same right look think also around another came come work three must because does part even place well such here
take why help put different away again off went old great tell say small every found still between should home big
give line set own under read last never left end along while might next below saw something thought both few those
always show large often together asked house world going want important until keep children side without once life
enough took sometimes four head above began almost live page got need far hand high year mother light doctor nurse
oncologist scan scans results treatment chemo radiation infusion fatigue nausea appointment clinic hospital diagnosis
metastatic stage bone liver lung markers bloodwork trial medication dose side effects pain tired hope fear worry scared
anxious grateful family husband wife partner daughter son sister friend friends caregiver support group community
strength courage morning evening weekend garden walk tea coffee recipe soup book reading music prayer meditation
breathe sleep insurance leave benefits waiting room parking appetite weight hair scarf neuropathy fingers hormone
therapy letrozole tamoxifen ibrance capecitabine port counts neutrophils platelets scanxiety stable progression news
relief tears laugh smile hug hugs thanks sharing listening understand feel feeling better worse slowly gently honestly
really maybe perhaps yesterday tomorrow tonight week month months ago later soon question questions answer nurse
navigator palliative comfort dignity choices plan plans goals wishes`
  .split(/\s+/)
  .filter(Boolean);

function sentence(rnd, min = 6, span = 12) {
  const n = min + Math.floor(rnd() * span);
  const words = Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]);
  if (rnd() < 0.35) words[2] = `**${words[2]}**`;
  if (rnd() < 0.25) words[n - 2] = `*${words[n - 2]}*`;
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return `${words.join(' ')}${rnd() < 0.85 ? '.' : '?'}`;
}

function paragraph(rnd, sentences) {
  return Array.from({ length: sentences }, () => sentence(rnd)).join(' ');
}

/** A post as members write them: a few paragraphs, sometimes a list, a quote or a link. */
function markdownPost(rnd, i) {
  const parts = [paragraph(rnd, 2 + Math.floor(rnd() * 3))];
  if (i % 4 === 1) parts.unshift(`> ${sentence(rnd)}`);
  if (i % 3 === 0) parts.push(Array.from({ length: 3 }, () => `- ${sentence(rnd, 3, 5)}`).join('\n'));
  if (i % 5 === 2) parts.push(`There is more at https://www.cancer.org/cancer/types/breast-cancer.html if it helps.`);
  parts.push(paragraph(rnd, 1 + Math.floor(rnd() * 3)));
  return parts.join('\n\n');
}

async function seed(db, passwordHash, renderMarkdown) {
  const rnd = mulberry32(20261127);
  await db.query(`SET synchronous_commit = off`);
  const members = await db.query(
    `INSERT INTO users (username, email, password_hash, display_name, first_approved_at, created_at)
     SELECT 'bench_web_' || g, 'bench_web_' || g || '@bench.invalid', $1, 'Bench member ' || g,
            now() - interval '200 days', now() - interval '210 days'
       FROM generate_series(1, $2::int) g RETURNING id`,
    [passwordHash, MEMBERS],
  );
  const ids = members.rows.map((r) => r.id);
  const [{ id: categoryId }] = (await db.query(`SELECT id FROM categories WHERE slug = $1`, [CATEGORY])).rows;
  const started = new Date(Date.now() - 30 * 86_400_000);
  const [{ id: threadId }] = (
    await db.query(
      `INSERT INTO threads (category_id, author_id, title, status, created_at, last_post_at)
       VALUES ($1, $2, 'Scan days: what helps you through the waiting?', 'published', $3, $3) RETURNING id`,
      [categoryId, ids[0], started],
    )
  ).rows;
  const postIds = [];
  for (let i = 0; i < POSTS; i++) {
    const body = markdownPost(rnd, i);
    const at = new Date(started.getTime() + i * 11 * 3_600_000);
    const { rows } = await db.query(
      `INSERT INTO posts (thread_id, author_id, body, body_html, anonymous, status, content_warning, created_at,
                          edited_at)
       VALUES ($1, $2, $3, $4, $5, 'published', $6, $7, $8) RETURNING id`,
      [
        threadId,
        ids[i === 0 ? 0 : 1 + Math.floor(rnd() * (MEMBERS - 1))],
        body,
        renderMarkdown(body),
        i === 7,
        i === 4 || i === 13 ? 'scan results' : null,
        at,
        i % 9 === 5 ? new Date(at.getTime() + 600_000) : null,
      ],
    );
    postIds.push(rows[0].id);
  }
  await db.query(
    `UPDATE threads SET first_post_id = $2, reply_count = $3,
            last_post_at = (SELECT max(created_at) FROM posts WHERE thread_id = $1) WHERE id = $1`,
    [threadId, postIds[0], POSTS - 1],
  );
  await db.query(
    `UPDATE categories SET thread_count = thread_count + 1, post_count = post_count + $2,
            last_post_at = (SELECT last_post_at FROM threads WHERE id = $3) WHERE id = $1`,
    [categoryId, POSTS, threadId],
  );
  await db.query(`INSERT INTO thread_subscriptions (thread_id, user_id) VALUES ($1, $2)`, [threadId, ids[0]]);
  // Reactions on most posts, 1-6 each, of different kinds, from different members (member 1 among them sometimes).
  await db.query(
    `INSERT INTO post_reactions (post_id, user_id, kind)
     SELECT p.id, u.id, (ARRAY['support', 'hug', 'same', 'thanks'])[1 + (p.id + u.id) % 4]
       FROM posts p JOIN LATERAL (
              SELECT id FROM users WHERE username LIKE 'bench_web_%' ORDER BY md5(p.id::text || id::text)
               LIMIT (p.id % 7)) u ON true
      WHERE p.thread_id = $1
     ON CONFLICT DO NOTHING`,
    [threadId],
  );
  await db.query(`VACUUM ANALYZE`);
  return { threadId, firstUsername: 'bench_web_1' };
}

// ----- processes --------------------------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function startHaven(childEnv) {
  const args = [...(env.BENCH_HAVEN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean), 'dist/main.js'];
  const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  const keep = (d) => {
    out.push(d.toString());
    if (out.length > 200) out.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.output = () => out.join('');
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

async function stopHaven(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([child.exited, sleep(15_000).then(() => null)]);
  if (!done) {
    child.kill('SIGKILL');
    await Promise.race([child.exited, sleep(5000)]);
  }
}

async function waitForHealth(base, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Haven exited early:\n${child.output()}`);
    try {
      const res = await fetch(`${base}/api/health`, { signal: globalThis.AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await sleep(150);
  }
  throw new Error(`Haven did not become healthy within ${timeoutMs / 1000} s:\n${child.output()}`);
}

// ----- signing in, as a browser and as an API client --------------------------------------------------------------

function cookiesOf(res) {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]);
}

async function browserSession(base, username) {
  const form = await fetch(`${base}/signin`);
  const visitor = cookiesOf(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())[1];
  const res = await fetch(`${base}/signin`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: visitor.join('; ') },
    body: new globalThis.URLSearchParams({ login: username, password: PASSWORD, _csrf: csrf, next: '/' }).toString(),
  });
  if (res.status !== 303) throw new Error(`browser sign-in answered ${res.status}`);
  const session = cookiesOf(res).find((c) => c.startsWith('haven_session='));
  if (!session) throw new Error('browser sign-in set no session cookie');
  // The flash cookie is read once by the first page; a browser would have dropped it by then.
  return [...visitor, session].join('; ');
}

async function apiToken(base, username) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`API login answered ${res.status}`);
  return (await res.json()).accessToken;
}

// ----- measuring --------------------------------------------------------------------------------------------------

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * One autocannon run. `paths` are requested in turn by each connection; a "view" is one pass over them (one page, or
 * one thread + posts pair), and its latency is the sum of its requests' latencies on that connection.
 */
async function load(autocannon, base, paths, headers, seconds, stats) {
  const opts = {
    url: base,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    headers,
    requests: paths.map((p) => ({ method: 'GET', path: p })),
  };
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
    const pending = new Map();
    instance.on('response', (client, statusCode, bytes, responseTime) => {
      if (!stats) return;
      stats.status[statusCode] = (stats.status[statusCode] ?? 0) + 1;
      stats.bytes += bytes;
      const sofar = pending.get(client) ?? { n: 0, ms: 0 };
      sofar.n += 1;
      sofar.ms += responseTime;
      if (sofar.n === paths.length) {
        stats.views.push(sofar.ms);
        pending.delete(client);
      } else pending.set(client, sofar);
    });
  });
  if (stats) {
    stats.requests += result.requests.total;
    stats.seconds += result.duration;
    stats.errors += result.errors + result.timeouts + result.non2xx;
    stats.rounds.push(result.requests.total / paths.length / result.duration);
  }
  return result;
}

const fmt = (n, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '-');

function summary(stats, perView) {
  const sorted = [...stats.views].sort((a, b) => a - b);
  return {
    viewsPerSecond: stats.requests / perView / stats.seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    bytesPerView: stats.bytes / Math.max(1, stats.requests / perView),
    rounds: stats.rounds,
    errors: stats.errors,
    status: stats.status,
  };
}

// ----- the run ----------------------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(path.join(ROOT, 'dist', 'main.js')) || !existsSync(path.join(ROOT, 'dist', 'web', 'public'))) {
    throw new Error('dist/ is missing or has no web assets: run `npm run build` first');
  }
  const [{ default: autocannon }, { hash }] = await Promise.all([import('autocannon'), import('@node-rs/argon2')]);
  const { renderMarkdown } = require(path.join(ROOT, 'dist', 'common', 'markdown', 'markdown.js'));

  const baseUrl = env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = `haven_bench_web_${randomBytes(5).toString('hex')}`;
  const benchUrl = new URL(baseUrl);
  benchUrl.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'haven-bench-web-'));
  const admin = new pg.Client({ connectionString: baseUrl, application_name: 'haven-bench-web-admin' });
  await admin.connect();
  let haven;
  let db;
  let created = false;
  let cleaning;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await stopHaven(haven);
      if (db) await db.end().catch(() => undefined);
      if (created && !KEEP_DB) {
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((e) => log(`drop: ${e.message}`));
        log(`dropped database ${dbName}`);
      } else if (created) log(`kept database ${dbName} (BENCH_KEEP_DB=1): ${benchUrl}`);
      await admin.end().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    })());
  const watchdog = setTimeout(() => {
    log(`hard limit of ${HARD_LIMIT_MS / 60_000} minutes reached: stopping`);
    cleanup().finally(() => process.exit(3));
  }, HARD_LIMIT_MS);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => cleanup().finally(() => process.exit(130)));
  }

  try {
    await admin.query(`CREATE DATABASE ${dbName}`);
    created = true;
    log(`created database ${dbName}`);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    haven = startHaven({
      PATH: env.PATH,
      HOME: env.HOME,
      NODE_ENV: 'test',
      DATABASE_URL: benchUrl.toString(),
      JWT_SECRET: randomBytes(36).toString('base64url'),
      CAPTCHA_SECRET: randomBytes(36).toString('base64url'),
      IP_HASH_SECRET: randomBytes(36).toString('base64url'),
      DATA_DIR: dataDir,
      RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    await waitForHealth(base, haven, 90_000);
    log(`Haven (pid ${haven.pid}) is up on ${base}, migrations applied`);

    db = new pg.Client({ connectionString: benchUrl.toString(), application_name: 'haven-bench-web-seed' });
    await db.connect();
    const passwordHash = await hash(PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const { threadId, firstUsername } = await seed(db, passwordHash, renderMarkdown);
    log(`seeded thread ${threadId}: ${POSTS} posts by ${MEMBERS} members`);

    const audiences = {};
    for (const who of AUDIENCES) {
      const accept = GZIP ? { 'accept-encoding': 'gzip' } : {};
      if (who === 'guest') audiences.guest = { html: { ...accept }, json: { ...accept } };
      else if (who === 'member') {
        audiences.member = {
          html: { ...accept, cookie: await browserSession(base, firstUsername) },
          json: { ...accept, authorization: `Bearer ${await apiToken(base, firstUsername)}` },
        };
      } else throw new Error(`BENCH_AS: unknown audience ${who}`);
    }

    // The page and the JSON must show the same thread and posts before their times mean anything.
    const htmlPaths = [`/t/${threadId}`];
    const jsonPaths = [`/api/threads/${threadId}`, `/api/threads/${threadId}/posts`];
    for (const [who, h] of Object.entries(audiences)) {
      const page = await fetch(`${base}${htmlPaths[0]}`, { headers: { ...h.html, 'accept-encoding': 'identity' } });
      const html = await page.text();
      const posts = await (await fetch(`${base}${jsonPaths[1]}`, { headers: h.json })).json();
      const thread = await (await fetch(`${base}${jsonPaths[0]}`, { headers: h.json })).json();
      const pageIds = [...html.matchAll(/<article class="post[^"]*" id="post-(\d+)"/g)].map((m) => m[1]);
      const jsonIds = posts.items.map((p) => p.id);
      if (page.status !== 200 || pageIds.length !== 20 || pageIds.join() !== jsonIds.join())
        throw new Error(`${who}: the page (${page.status}, ${pageIds.length} posts) and the JSON disagree`);
      if (!html.includes(thread.title)) throw new Error(`${who}: the page lacks the title`);
      if (who === 'member' && !html.includes('action="/p/')) throw new Error('member: the page has no reaction forms');
      if (/<script\b/.test(html)) throw new Error(`${who}: the thread page loads JavaScript`);
      log(
        `${who}: page ${(Buffer.byteLength(html) / 1024).toFixed(1)} KB of HTML; JSON ${(
          (JSON.stringify(thread).length + JSON.stringify(posts).length) /
          1024
        ).toFixed(1)} KB; same ${pageIds.length} posts`,
      );
    }

    // The budget is judged against the posts route alone (the strict reading: "the thread's JSON route"); the pair
    // a client needs to draw the same page (thread + posts) is shown beside it.
    const kinds = [
      ['html', htmlPaths],
      ['json', jsonPaths],
      ['posts', [jsonPaths[1]]],
    ];
    const stats = {};
    for (const who of Object.keys(audiences))
      for (const [kind] of kinds)
        stats[`${who}:${kind}`] = { requests: 0, seconds: 0, errors: 0, bytes: 0, views: [], rounds: [], status: {} };
    log(`warm-up: ${WARMUP_SECONDS} s each`);
    for (const h of Object.values(audiences))
      for (const [kind, paths] of kinds)
        await load(autocannon, base, paths, h[kind === 'posts' ? 'json' : kind], WARMUP_SECONDS, null);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? kinds : [...kinds].reverse();
      for (const [who, h] of Object.entries(audiences)) {
        for (const [kind, paths] of order) {
          await load(autocannon, base, paths, h[kind === 'posts' ? 'json' : kind], SECONDS, stats[`${who}:${kind}`]);
          if (haven.exitCode !== null) throw new Error(`Haven exited:\n${haven.output()}`);
        }
      }
      log(`round ${round + 1}/${ROUNDS} done`);
    }

    console.log('');
    console.log(
      `Thread page (GET /t/:id, 20 posts) vs the same thread's JSON route (GET /api/threads/:id/posts), and vs the pair a client needs (+ GET /api/threads/:id)`,
    );
    console.log(
      `autocannon ${CONNECTIONS} connections, ${ROUNDS} rounds x ${SECONDS} s, interleaved; ${GZIP ? 'gzip' : 'no compression'}; loopback; NODE_ENV=test (cached templates)`,
    );
    const rows = [];
    let over = false;
    for (const who of Object.keys(audiences)) {
      const html = summary(stats[`${who}:html`], 1);
      const json = summary(stats[`${who}:json`], 2);
      const postsOnly = summary(stats[`${who}:posts`], 1);
      const pairRatio = json.viewsPerSecond / html.viewsPerSecond;
      const byThroughput = postsOnly.viewsPerSecond / html.viewsPerSecond;
      const byMedian = html.p50 / postsOnly.p50;
      if (byThroughput > BUDGET) over = true;
      if (html.errors || json.errors || postsOnly.errors) {
        over = true;
        log(
          `${who}: errors or non-2xx answers: html ${JSON.stringify(html.status)}, json ${JSON.stringify(json.status)}`,
        );
      }
      rows.push([
        who,
        fmt(html.viewsPerSecond),
        `${fmt(html.p50, 1)} / ${fmt(html.p99, 1)}`,
        fmt(postsOnly.viewsPerSecond),
        `${fmt(postsOnly.p50, 1)} / ${fmt(postsOnly.p99, 1)}`,
        fmt(json.viewsPerSecond),
        `${fmt(pairRatio, 2)}x`,
        `${fmt(byThroughput, 2)}x`,
        `${fmt(byMedian, 2)}x`,
        `${fmt(html.bytesPerView / 1024, 1)} / ${fmt(json.bytesPerView / 1024, 1)}`,
        byThroughput <= BUDGET ? 'PASS' : 'FAIL',
      ]);
      console.log(
        `  ${who} per round, views/s: html ${html.rounds.map((r) => fmt(r)).join(', ')}; posts ${postsOnly.rounds.map((r) => fmt(r)).join(', ')}; pair ${json.rounds.map((r) => fmt(r)).join(', ')}`,
      );
    }
    const headers = [
      'viewer',
      'HTML pages/s',
      'HTML p50 / p99 ms',
      'posts route req/s',
      'posts p50 / p99 ms',
      'thread+posts pairs/s',
      'ratio vs pair',
      'ratio vs posts route (throughput)',
      'ratio vs posts route (p50)',
      'KB per view html / json',
      `budget <= ${BUDGET}x`,
    ];
    const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ');
    console.log(line(headers));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const r of rows) console.log(line(r));
    console.log(
      `\nnode ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}; autocannon, Haven and PostgreSQL share the cores.`,
    );
    clearTimeout(watchdog);
    await cleanup();
    process.exit(over ? 1 : 0);
  } catch (err) {
    log(`the run broke: ${err instanceof Error ? err.stack : String(err)}`);
    clearTimeout(watchdog);
    await cleanup();
    process.exit(2);
  }
}

main();
