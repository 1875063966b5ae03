#!/usr/bin/env node
// The newcomer's path, on the built server: `node dist/main.js` with no DATABASE_URL and a fresh DATA_DIR must
// answer /api/health within 30 s, serve its docs, let the admin CLI share its embedded database, survive a
// SIGKILL (the stale embedded PostgreSQL it leaves is stopped on the next start), and stop cleanly on SIGTERM
// with no process left behind. Run after `npm run build`; used by .ci/run.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { URLSearchParams } from 'node:url';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'haven-newcomer-'));
chmodSync(dataDir, 0o755);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
delete env.REDIS_URL;
delete env.NODE_ENV;

const fail = (message) => {
  console.error(`newcomer: FAIL ${message}`);
  cleanup();
  process.exit(1);
};
let server;
function cleanup() {
  if (server && server.exitCode === null) server.kill('SIGKILL');
  const pid = postmasterPid();
  if (pid)
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      /* gone */
    }
  rmSync(dataDir, { recursive: true, force: true });
}

function start() {
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  child.log = () => log;
  /** Resolves with the first match of `pattern` in the server's output, as soon as it is printed (or undefined at the deadline). */
  child.printed = (pattern, seconds) =>
    new Promise((resolve) => {
      const look = () => {
        const match = pattern.exec(log);
        if (!match) return false;
        done(match);
        return true;
      };
      const timer = setTimeout(() => done(undefined), seconds * 1000);
      const done = (match) => {
        clearTimeout(timer);
        child.stdout.off('data', look);
        child.stderr.off('data', look);
        resolve(match);
      };
      if (look()) return;
      child.stdout.on('data', look);
      child.stderr.on('data', look);
    });
  return child;
}

async function waitHealthy(child, seconds) {
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    if (child.exitCode !== null) fail(`the server exited (${child.exitCode}):\n${child.log().slice(-2000)}`);
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.status === 200) return (Date.now() - t0) / 1000;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`no healthy answer within ${seconds} s:\n${child.log().slice(-2000)}`);
}

function postmasterPid() {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
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

// 1. First start: initdb, migrations, health.
server = start();
const first = await waitHealthy(server, 30);
console.log(`newcomer: first start healthy in ${first.toFixed(1)} s (initdb + migrations)`);
const docs = await fetch(`${base}/api/docs-json`);
if (docs.status !== 200) fail(`/api/docs-json answered ${docs.status}`);
if ((await fetch(`${base}/api/docs`)).status !== 200) fail('/api/docs is not served');

// 1b. No admin yet: the server printed one setup link. It makes the first admin through its form, once; a second
//     use is refused with the kind "already used" page.
const setupPath = (
  await server.printed(new RegExp(`${base.replace(/[.]/g, '\\.')}(/setup/[A-Za-z0-9_-]{43})\\b`), 10)
)?.[1];
if (!setupPath) fail(`no setup link in the server's output:\n${server.log().slice(-2000)}`);
if (server.log().split('/setup/').length !== 2) fail('the setup link was printed more than once');
const setupForm = await fetch(`${base}${setupPath}`);
const setupHtml = await setupForm.text();
if (setupForm.status !== 200 || !setupHtml.includes('Set up Haven'))
  fail(`the setup link answered ${setupForm.status}`);
const visitorCookie = (setupForm.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
const csrf = /name="_csrf" value="([^"]+)"/.exec(setupHtml)?.[1];
const sendSetup = (username) =>
  fetch(`${base}${setupPath}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: visitorCookie },
    body: new URLSearchParams({
      _csrf: csrf ?? '',
      username,
      email: `${username}@example.org`,
      password: 'a-quiet-harbour-at-dawn',
    }).toString(),
  });
const made = await sendSetup('setup_admin');
if (made.status !== 303) fail(`the setup form answered ${made.status} ${(await made.text()).slice(0, 500)}`);
const setupAdmin = await (await fetch(`${base}/api/users/setup_admin`)).json();
if (setupAdmin.role !== 'admin') fail(`the setup link made no admin: ${JSON.stringify(setupAdmin)}`);
const signedIn = await fetch(`${base}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ login: 'setup_admin@example.org', password: 'a-quiet-harbour-at-dawn' }),
});
if (signedIn.status !== 200) fail(`the setup admin could not sign in with her address: ${signedIn.status}`);
const reopened = await fetch(`${base}${setupPath}`);
if (reopened.status !== 410 || !(await reopened.text()).includes('already used'))
  fail(`a used setup link answered ${reopened.status}`);
const reused = await sendSetup('setup_again');
if (reused.status !== 410) fail(`a used setup link's form answered ${reused.status}`);
if ((await fetch(`${base}/api/users/setup_again`)).status !== 404) fail('a used setup link made a second account');
console.log('newcomer: the printed setup link made the first admin once and refused a second use');

// 2. Register through the contract (proof-of-work captcha), then make the member an admin with the CLI, which
//    shares the running server's embedded database.
const c = await (await fetch(`${base}/api/captcha?kind=pow`)).json();
let number = 0;
while (createHash('sha256').update(`${c.salt}${number}`).digest('hex') !== c.challenge) number++;
const reg = await fetch(`${base}/api/auth/register`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    username: 'first_admin',
    email: 'first@example.org',
    password: 'a-calm-morning-walk',
    captcha: { id: c.id, number },
  }),
});
if (reg.status !== 201) fail(`register answered ${reg.status} ${await reg.text()}`);
const cli = spawnSync(process.execPath, ['dist/cli.js', 'users:set-role', 'first_admin', 'admin'], {
  cwd: root,
  env,
  encoding: 'utf8',
});
if (cli.status !== 0 || !cli.stdout.includes('first_admin is now admin')) fail(`cli: ${cli.stdout}${cli.stderr}`);
const profile = await (await fetch(`${base}/api/users/first_admin`)).json();
if (profile.role !== 'admin') fail(`the CLI's role change is not visible: ${JSON.stringify(profile)}`);
console.log('newcomer: registered with the pow captcha; the admin CLI shared the running embedded database');

// 2b. Forgot password with no mail set up: the mail is kept in the local outbox, which someone at this machine reads
//     at /admin/mail; its link sets a new password.
const asked = await fetch(`${base}/api/auth/password-reset`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'first@example.org' }),
});
if (asked.status !== 202) fail(`password-reset answered ${asked.status}`);
let resetToken;
for (const t0 = Date.now(); !resetToken && Date.now() - t0 < 30_000; await new Promise((r) => setTimeout(r, 200))) {
  const list = await (await fetch(`${base}/admin/mail`)).text();
  const id = /href="\/admin\/mail\/(\d+)">Choose a new password</.exec(list)?.[1];
  if (!id || !/kept here/.test(list)) continue;
  const mail = await (await fetch(`${base}/admin/mail/${id}`)).text();
  resetToken = /reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mail)?.[1];
}
if (!resetToken) fail('no reset mail in the local outbox within 30 s');
const reset = await fetch(`${base}/api/auth/password-reset/confirm`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ token: resetToken, password: 'another-calm-morning' }),
});
if (reset.status !== 204) fail(`password-reset/confirm answered ${reset.status} ${await reset.text()}`);
const relogin = await fetch(`${base}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ login: 'first_admin', password: 'another-calm-morning' }),
});
if (relogin.status !== 200) fail(`sign-in with the new password answered ${relogin.status}`);
console.log('newcomer: forgot password through the local outbox (/admin/mail) and signed in with the new password');

// 3. A second server on the same DATA_DIR is refused while the first one lives (it would stop the database
//    under the first one's feet when it exits).
const twin = spawnSync(process.execPath, ['dist/main.js'], {
  cwd: root,
  env: { ...env, PORT: String(await freePort()) },
  encoding: 'utf8',
  timeout: 20000,
});
if (twin.status !== 1 || !twin.stderr.includes('in use by another Haven process'))
  fail(`a second server on the same DATA_DIR: ${twin.status} ${twin.stderr}`);
console.log('newcomer: a second server on the same DATA_DIR was refused with a clear message');

// 4. As root, a DATA_DIR the postgres user cannot enter is refused with a clear message, not a crash.
if (process.getuid?.() === 0) {
  const locked = mkdtempSync(path.join(tmpdir(), 'haven-locked-'));
  chmodSync(locked, 0o700);
  const r = spawnSync(process.execPath, ['dist/main.js'], {
    cwd: root,
    env: { ...env, DATA_DIR: path.join(locked, 'data'), PORT: String(await freePort()) },
    encoding: 'utf8',
    timeout: 20000,
  });
  rmSync(locked, { recursive: true, force: true });
  if (r.status !== 1 || !r.stderr.includes('cannot enter')) fail(`an unreachable DATA_DIR: ${r.status} ${r.stderr}`);
  console.log('newcomer: a DATA_DIR the postgres user cannot enter was refused with a clear message');
}

// 5. A crash: SIGKILL leaves the embedded PostgreSQL running; the next start must stop it and carry on.
server.kill('SIGKILL');
await exited(server, 5);
if (!postmasterPid()) console.log('newcomer: (postgres exited with its owner)');
server = start();
const second = await waitHealthy(server, 30);
console.log(`newcomer: restart after SIGKILL healthy in ${second.toFixed(1)} s`);
const again = await (await fetch(`${base}/api/users/first_admin`)).json();
if (again.role !== 'admin') fail('data did not survive the restart');
if (server.log().includes('/setup/')) fail('a server with an admin printed a setup link');

// 6. SIGTERM: a clean stop, nothing left behind.
const pgPid = postmasterPid();
const t0 = Date.now();
server.kill('SIGTERM');
const code = await exited(server, 25);
if (code !== 0) fail(`SIGTERM: exit ${code}\n${server.log().slice(-2000)}`);
// Haven awaited the database's stop before exiting; give a busy machine's process table a deadline, not a guess.
const pgDeadline = Date.now() + 10_000;
while (pgPid && postmasterPid() && Date.now() < pgDeadline) await new Promise((r) => setTimeout(r, 50));
if (pgPid && postmasterPid()) fail(`the embedded PostgreSQL (pid ${pgPid}) is still running 10 s after SIGTERM`);
console.log(`newcomer: SIGTERM stopped Haven and its database in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
cleanup();
console.log('newcomer: ok');

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
