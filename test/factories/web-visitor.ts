import type { TestApp } from '../app';
import { csrfOf } from './web';

/** The `name=value` pairs a response sets (attributes dropped), e.g. to read `haven_session` or `haven_flash`. */
export function cookiesOf(res: { headers: Record<string, unknown> }): Record<string, string> {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return Object.fromEntries(list.map((c) => c.split(';')[0]).map((pair) => pair.split(/=(.*)/s).slice(0, 2)));
}

/** A guest's browser: the visitor cookie a first page gave it, and that page's form token (bound to the cookie). */
export async function visitorSession(t: TestApp, path = '/signin'): Promise<{ cookie: string; csrf: string }> {
  const res = await t.http.get(path).expect(200);
  const visitor = cookiesOf(res).haven_visitor;
  if (!visitor) throw new Error(`${path} gave no visitor cookie`);
  return { cookie: `haven_visitor=${visitor}`, csrf: csrfOf(res.text) };
}
