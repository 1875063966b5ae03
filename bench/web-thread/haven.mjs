/** The thread page benchmark's Haven process, and signing in to it as a browser and as an API client. */
import { spawn } from 'node:child_process';
import { ROOT, sleep } from '../lib/util.mjs';
import { env, PASSWORD } from './config.mjs';

export function startHaven(childEnv) {
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
  child.label = 'Haven'; // for waitForHealth's messages
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

export async function stopHaven(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([child.exited, sleep(15_000).then(() => null)]);
  if (!done) {
    child.kill('SIGKILL');
    await Promise.race([child.exited, sleep(5000)]);
  }
}

// ----- signing in, as a browser and as an API client --------------------------------------------------------------

function cookiesOf(res) {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]);
}

export async function browserSession(base, username) {
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

export async function apiToken(base, username) {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login: username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`API login answered ${res.status}`);
  return (await res.json()).accessToken;
}
