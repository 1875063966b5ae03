// Browser tests' harness: the built server (`node dist/main.js`) on a fresh database, Debian's chromium driven by
// playwright-core, and small helpers to make members and check pages with axe. Used by test/browser/*.test.mjs.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import pg from 'pg';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

/**
 * Starts Haven as a newcomer would run it, on its own database: a new `haven_browser_<random>` on DATABASE_URL's
 * server when set (dropped by stop()), else the embedded PostgreSQL in a temporary DATA_DIR.
 */
export async function startHaven(extraEnv = {}) {
  const run = randomBytes(4).toString('hex');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'haven-browser-'));
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    CAPTCHA_POW_MAX_NUMBER: '20000',
    // The "sent within seconds of its captcha" spam signal reads time the tests cannot move in this process; the
    // jest specs test it with the injected clock, so the browser journeys need not wait it out.
    COMMENT_MIN_FILL_SECONDS: '0',
    // Chromium and the tests share the machine's cores with the server: a loop kept late by them is not the server's
    // own overload (test/load-shedding.e2e-spec.ts covers shedding on a late loop).
    MAX_EVENT_LOOP_DELAY_MS: '0',
    REDIS_PREFIX: `haven:browser:${run}:`,
    ...extraEnv,
  };
  let dbName;
  let serverUrl;
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL;
    dbName = `haven_browser_${run}`;
    await withClient(serverUrl, (c) => c.query(`CREATE DATABASE ${dbName}`));
    const url = new URL(serverUrl);
    url.pathname = `/${dbName}`;
    env.DATABASE_URL = url.toString();
  }
  const child = spawn(process.execPath, [path.join(root, 'dist', 'main.js')], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Haven exited with ${child.exitCode} before it answered`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error('Haven did not answer /api/health within 60 s');
    await sleep(200);
  }
  const databaseUrl = env.DATABASE_URL;
  return {
    base,
    databaseUrl,
    /** Runs SQL on Haven's own database (for set-up a page cannot do, like making a moderator). */
    query: async (sql, params = []) => {
      if (!databaseUrl) throw new Error('query() needs DATABASE_URL (the embedded database is private to Haven)');
      return withClient(databaseUrl, (c) => c.query(sql, params));
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await Promise.race([new Promise((r) => child.once('exit', r)), sleep(15_000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (dbName) {
        await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's chromium, headless. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
    ],
  });
}

let counter = 0;
/** A username nobody else has. */
export function uniqueName(prefix = 'm') {
  counter += 1;
  return `${prefix}_${process.pid.toString(36)}${counter}${randomBytes(2).toString('hex')}`.slice(0, 32);
}

/** Solves a proof-of-work challenge as the widget does (for members made over the API, not through a page). */
export function solvePow(c) {
  for (let n = 0; n <= c.maxNumber; n++) {
    if (createHash('sha256').update(`${c.salt}${n}`).digest('hex') === c.challenge) return n;
  }
  throw new Error('no solution in range');
}

/**
 * A member made over the public API (register with a solved captcha); with `role`, promoted in the database.
 * Returns { id, username, password, accessToken }.
 */
export async function createMember(haven, { role, displayName } = {}) {
  const username = uniqueName();
  const password = `calm-river-${randomBytes(6).toString('hex')}`;
  const c = await (await fetch(`${haven.base}/api/captcha?kind=pow`)).json();
  const res = await fetch(`${haven.base}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      username,
      email: `${username}@example.org`,
      password,
      displayName: displayName ?? username,
      captcha: { id: c.id, number: solvePow(c) },
    }),
  });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${await res.text()}`);
  const body = await res.json();
  if (role && role !== 'member') await haven.query('UPDATE users SET role = $1 WHERE id = $2', [role, body.user.id]);
  return { id: body.user.id, username, password, accessToken: body.accessToken };
}

/** Calls the JSON API as a member (for set-up; the tests act through pages). */
export async function api(haven, member, method, route, body) {
  const res = await fetch(`${haven.base}/api${route}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(member ? { Authorization: `Bearer ${member.accessToken}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Signs a member in through the sign-in page, as a person would (staying on it if already there, with its ?next). */
export async function signIn(page, haven, member) {
  if (!new URL(page.url(), haven.base).pathname.startsWith('/signin')) await page.goto(`${haven.base}/signin`);
  await page.getByLabel('Username or email').fill(member.username);
  await page.getByLabel('Password', { exact: true }).fill(member.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** axe's violations on the page as it is now (wcag2a, wcag2aa, wcag21aa, wcag22aa). */
export async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }));
}

/**
 * Where the tests' screenshots go: a temporary folder, so a test run leaves the tree as it was; `npm run
 * screenshots` points SCREENSHOTS_DIR at docs/screenshots to refresh the committed ones.
 */
export function screenshotPath(name) {
  const dir = process.env.SCREENSHOTS_DIR
    ? path.resolve(root, process.env.SCREENSHOTS_DIR)
    : path.join(tmpdir(), 'haven-screenshots');
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Waits for something that happens after the answer a test already has (a mail in the outbox): `probe` passes by
 * returning a value and fails by throwing; polled until the deadline, then the last failure is thrown. As
 * test/support/eventually.ts does for the jest specs: never a fixed sleep.
 */
export async function eventually(probe, { timeoutMs = 30_000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      if (Date.now() >= deadline) throw err;
    }
    await sleep(intervalMs);
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
