/**
 * The forum benchmark's checks, through the statement recorder: both servers answer the GET routes with identical
 * JSON and create post with the same shape, and run the same SQL statements per route (create post included, with
 * its after-the-answer work). Returns the routes whose SQL differs and the statement counts per route.
 */
import { isDeepStrictEqual } from 'node:util';
import { sleep } from '../lib/util.mjs';
import { BIG_THREAD_POSTS, log } from './config.mjs';
import { normalizeSql, sqlDiff } from './sql-recorder.mjs';

export async function checkServers({ haven, bare, recorder, listPath, page1Path, page250Path, postReply }) {
  const sqlProblems = [];
  const recordRoute = async (server, request, settleMs) => {
    await request(server); // warms the pool and any first-use work
    await sleep(settleMs);
    recorder.take();
    const answer = await request(server);
    await sleep(settleMs); // after-the-answer work (announce, notifications) is part of the route's cost
    const sql = recorder
      .take()
      .filter((r) => r.app === server.appName)
      .map((r) => normalizeSql(r.sql));
    return { answer, sql };
  };
  const sqlCounts = {};
  const compareSql = (key, label, h, b) => {
    const { onlyA, onlyB } = sqlDiff(h.sql, b.sql);
    const same = onlyA.length === 0 && onlyB.length === 0;
    sqlCounts[key] = `${h.sql.length} / ${b.sql.length}${same ? ' same' : ' DIFFERENT'}`;
    log(
      `  ${label}: statements per request Haven ${h.sql.length}, bare ${b.sql.length}; same SQL: ${same ? 'yes' : 'NO'}`,
    );
    if (!same) {
      const cut = (x) => (x.length > 220 ? `${x.slice(0, 220)}…` : x);
      const lines = [
        ...onlyA.map((x) => `    only Haven: ${cut(x)}`),
        ...onlyB.map((x) => `    only bare:  ${cut(x)}`),
      ];
      console.log(lines.join('\n'));
      sqlProblems.push(label);
    }
  };
  const get = (p) => async (s) => {
    const r = await fetch(s.base + p);
    return [r.status, await r.text()];
  };
  log('checking answers and statements (one request each, recorded):');
  for (const p of [listPath, page1Path, page250Path]) {
    const h = await recordRoute(haven, get(p), 150);
    const b = await recordRoute(bare, get(p), 150);
    const same = h.answer[0] === b.answer[0] && isDeepStrictEqual(JSON.parse(h.answer[1]), JSON.parse(b.answer[1]));
    const label = `GET ${p.split('?')[0]}${p.includes('cursor') ? ' (page 250)' : ''}`;
    log(
      `  ${label}: same JSON ${same ? 'yes' : 'NO'} (${h.answer[0]}/${b.answer[0]}, ` +
        `${h.answer[1].length}/${b.answer[1].length} bytes)`,
    );
    if (!same)
      throw new Error(
        `the servers answer ${p} differently:\nHaven: ${h.answer[1].slice(0, 400)}\nbare:  ${b.answer[1].slice(0, 400)}`,
      );
    compareSql(p === listPath ? 'list' : p === page1Path ? 'page1' : 'page250', label, h, b);
    if (p === page250Path) {
      const page = JSON.parse(h.answer[1]);
      if (page.items.length !== 20 || page.nextCursor !== null)
        throw new Error(`page 250 should be the last 20 posts of ${BIG_THREAD_POSTS}: got ${page.items.length}`);
    }
  }
  const h = await recordRoute(haven, postReply, 500);
  const b = await recordRoute(bare, postReply, 500);
  const shape = (o) =>
    JSON.stringify(Object.keys(o)) + JSON.stringify(Object.keys(o.author ?? {})) + JSON.stringify(o.reactions);
  const same = h.answer[0] === 201 && b.answer[0] === 201 && shape(h.answer[1]) === shape(b.answer[1]);
  log(`  POST /api/threads/:id/posts: Haven ${h.answer[0]}, bare ${b.answer[0]}; same shape ${same ? 'yes' : 'NO'}`);
  if (!same)
    throw new Error(
      `create post differs:\nHaven ${h.answer[0]} ${JSON.stringify(h.answer[1])}\nbare ${b.answer[0]} ${JSON.stringify(b.answer[1])}`,
    );
  compareSql('create', 'POST /api/threads/:id/posts (+ work after the answer)', h, b);
  if (sqlProblems.length)
    log(`WARNING: the bare server's SQL differs from Haven's for ${sqlProblems.join('; ')} (see above)`);

  return { sqlProblems, sqlCounts };
}
