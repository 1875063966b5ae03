/**
 * The peer benchmark's checks before measuring: both servers answer the measured GETs with identical JSON (parsed,
 * deep-equal), for a guest and for a signed-in member; a reply succeeds on both with the same fields; the SSR page
 * answers 200 to the member's cookie and shows her signed in. Throws a CheckFailed (exit 2) with a diff otherwise.
 */
import { isDeepStrictEqual } from 'node:util';
import { log } from './config.mjs';

export class CheckFailed extends Error {}

/** Where two parsed JSON values differ: up to `max` lines of `path: Haven … / bare …`. */
export function jsonDiff(a, b, path = '$', out = [], max = 12) {
  if (out.length >= max) return out;
  if (isDeepStrictEqual(a, b)) return out;
  const show = (v) => {
    const s = JSON.stringify(v);
    return s === undefined ? '(absent)' : s.length > 160 ? `${s.slice(0, 160)}…` : s;
  };
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = Array.isArray(a)
      ? Array.from({ length: Math.max(a.length, b.length) }, (_, i) => i)
      : [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) jsonDiff(a[k], b[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`, out, max);
    return out;
  }
  out.push(`${path}: Haven ${show(a)} / bare ${show(b)}`);
  return out;
}

async function fetchJson(base, path, headers) {
  const res = await fetch(base + path, { headers });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    throw new CheckFailed(`${base}${path} answered ${res.status} with no JSON: ${text.slice(0, 200)}`);
  }
}

export async function checkSame({ haven, bare, paths, token, cookie, reply }) {
  log('checking that both servers answer the same JSON (guest and member):');
  for (const path of [paths.listPath, paths.page1Path, paths.deepPath]) {
    for (const [who, headers] of [
      ['guest', {}],
      ['member', { authorization: `Bearer ${token}` }],
    ]) {
      const [h, b] = await Promise.all([fetchJson(haven.base, path, headers), fetchJson(bare.base, path, headers)]);
      if (h.status !== 200) throw new CheckFailed(`Haven answered ${h.status} to ${path}: ${JSON.stringify(h.body)}`);
      const diff = h.status === b.status ? jsonDiff(h.body, b.body) : [`status: Haven ${h.status} / bare ${b.status}`];
      if (diff.length) throw new CheckFailed(`${who} GET ${path}: the answers differ\n  ${diff.join('\n  ')}`);
      log(
        `  ${who} GET ${path}: same (${h.body.items.length} items, nextCursor ${h.body.nextCursor ? 'set' : 'null'})`,
      );
    }
  }
  // A reply on each: 201 and the same fields (the ids, times and bodies differ, as they are different posts).
  const answers = [];
  for (const s of [haven, bare]) {
    const r = reply();
    const res = await fetch(s.base + r.path, { method: 'POST', headers: r.headers, body: r.body });
    const body = await res.json();
    if (res.status !== 201)
      throw new CheckFailed(`${s.name} answered a reply with ${res.status}: ${JSON.stringify(body)}`);
    answers.push(body);
  }
  const shape = (p) => JSON.stringify(Object.keys(p).sort());
  if (shape(answers[0]) !== shape(answers[1]))
    throw new CheckFailed(`a reply's fields differ: Haven ${shape(answers[0])} / bare ${shape(answers[1])}`);
  log(`  reply: 201 from both, same fields`);
  const page = await fetch(haven.base + paths.ssrPath, { headers: { cookie } });
  const html = await page.text();
  const signedIn = html.includes('action="/signout"'); // the header's sign-out form: a member's page
  if (page.status !== 200 || !signedIn)
    throw new CheckFailed(`GET ${paths.ssrPath} with the member's cookie: ${page.status}, signed in: ${signedIn}`);
  log(`  GET ${paths.ssrPath} with the member's cookie: 200, signed in (${html.length} bytes)`);
}
