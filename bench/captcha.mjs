#!/usr/bin/env node
/**
 * Captcha benchmark: issuing and verifying both kinds, Haven against a bare node:http + pg server doing the same
 * work with the same SQL (altcha-lib v1 challenge or the same raster drawing, HMAC of the answer, INSERT; verify =
 * the atomic UPDATE ... RETURNING plus the hash check). Interleaved rounds, loopback only, bounded.
 *
 *   npm run build && node bench/captcha.mjs
 *
 * Haven verifies a captcha inside a form (sign-up, guest comment); to measure the captcha and nothing else, both
 * sides verify through a small route: Haven's is its own CaptchaService called in-process by this script with the
 * app's DataSource (no HTTP), beside the bare function on a pg Pool, in the same process and rounds.
 * Also prints what a browser spends solving the proof of work (SHA-256 search up to maxNumber).
 * Knobs: DATABASE_URL, BENCH_SECONDS (4), BENCH_ROUNDS (2), BENCH_CONNECTIONS (10).
 */
import { spawn } from 'node:child_process';
import { createHash, createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { createChallenge } = require('altcha-lib/v1');
const { renderCaptchaImage } = require(path.join(ROOT, 'dist/captcha/image/render-captcha-image.js'));
const { randomCaptchaText } = require(path.join(ROOT, 'dist/captcha/image/alphabet.js'));

const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SECRET = 'bench-captcha-secret-0123456789abcdef0123';
const MAX_NUMBER = 100_000;

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

// --- the bare server: the same work, nothing else -------------------------------------------------------------
const hmac = (kind, id, answer) => createHmac('sha256', SECRET).update(`${kind}:${id}:${answer}`).digest();
async function bareIssue(pool, kind) {
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + 600_000);
  if (kind === 'pow') {
    const c = await createChallenge({ hmacKey: SECRET, maxNumber: MAX_NUMBER, expires: expiresAt, params: { id } });
    await pool.query(
      `INSERT INTO captcha_challenges (id, kind, answer_hmac, salt, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [id, kind, hmac('pow', id, c.challenge), c.salt, expiresAt],
    );
    return { id, kind, ...c, maxNumber: c.maxnumber, expiresAt: expiresAt.toISOString() };
  }
  const text = randomCaptchaText(randomInt(5, 7));
  const { png, width, height } = renderCaptchaImage(text);
  await pool.query(
    `INSERT INTO captcha_challenges (id, kind, answer_hmac, salt, expires_at) VALUES ($1, $2, $3, $4, $5)`,
    [id, kind, hmac('image', id, text.toLowerCase()), null, expiresAt],
  );
  return {
    id,
    kind,
    image: `data:image/png;base64,${png.toString('base64')}`,
    width,
    height,
    expiresAt: expiresAt.toISOString(),
  };
}
async function bareVerify(pool, id, number) {
  const { rows } = await pool.query(
    `UPDATE captcha_challenges SET consumed_at = now() WHERE id = $1 AND consumed_at IS NULL AND expires_at > now()
     RETURNING id, kind, answer_hmac AS "answerHmac", salt, created_at AS "issuedAt"`,
    [id],
  );
  const c = rows[0];
  if (!c) return false;
  const actual = hmac(c.kind, id, createHash('sha256').update(`${c.salt}${number}`).digest('hex'));
  return actual.length === c.answerHmac.length && timingSafeEqual(actual, c.answerHmac);
}

// --- helpers -------------------------------------------------------------------------------------------------------
const solve = (c) => {
  for (let n = 0; n <= c.maxNumber; n++)
    if (createHash('sha256').update(`${c.salt}${n}`).digest('hex') === c.challenge) return n;
  throw new Error('no solution');
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const cannon = (url) =>
  new Promise((resolve, reject) => {
    autocannon({ url, connections: CONNECTIONS, duration: SECONDS }, (err, r) => (err ? reject(err) : resolve(r)));
  });

async function main() {
  const dbName = `haven_bench_captcha_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(BASE_URL);
  url.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'haven-bench-'));
  const havenPort = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: url.toString(),
    PORT: String(havenPort),
    HOST: '127.0.0.1',
    RATE_LIMITS: 'off',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
    JWT_SECRET: SECRET,
    CAPTCHA_SECRET: SECRET,
    IP_HASH_SECRET: SECRET,
    JOURNAL_SECRET: SECRET,
    CAPTCHA_POW_MAX_NUMBER: String(MAX_NUMBER),
    DATA_DIR: dataDir,
  };
  delete env.REDIS_URL; // both sides keep challenges in PostgreSQL
  const haven = spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const pool = new pg.Pool({ connectionString: url.toString(), max: 20 });
  const barePort = await freePort();
  const bare = http.createServer(async (req, res) => {
    const kind = new URL(req.url, 'http://x').searchParams.get('kind') === 'pow' ? 'pow' : 'image';
    const body = JSON.stringify(await bareIssue(pool, kind));
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise((r) => bare.listen(barePort, '127.0.0.1', r));
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${havenPort}/api/health`)).ok) break;
      } catch {
        /* starting */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const rows = [];
    for (const kind of ['pow', 'image']) {
      const result = { kind, haven: [], bare: [] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const side of round % 2 ? ['bare', 'haven'] : ['haven', 'bare']) {
          const target =
            side === 'haven'
              ? `http://127.0.0.1:${havenPort}/api/captcha?kind=${kind}`
              : `http://127.0.0.1:${barePort}/?kind=${kind}`;
          const r = await cannon(target);
          result[side].push({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx });
        }
      }
      rows.push(result);
    }

    // Verifying: the same 400 solved challenges per side, verified one after another (the latency a form sees).
    const verifyRows = {};
    const { NestFactory } = require(path.join(ROOT, 'node_modules/@nestjs/core'));
    const { AppModule } = require(path.join(ROOT, 'dist/app.module.js'));
    const { loadConfig } = require(path.join(ROOT, 'dist/config/config.js'));
    const { CaptchaService } = require(path.join(ROOT, 'dist/captcha/captcha.service.js'));
    const ctx = await NestFactory.createApplicationContext(
      AppModule.forRoot(loadConfig({ ...env, MIGRATIONS_RUN: 'false' }), url.toString()),
      {
        logger: ['error'],
      },
    );
    const captcha = ctx.get(CaptchaService);
    for (const side of ['haven', 'bare']) {
      const solved = [];
      for (let i = 0; i < 400; i++) {
        const c =
          side === 'haven' ? await captcha.issue('pow', `10.0.${i >> 8}.${i & 255}`) : await bareIssue(pool, 'pow');
        solved.push({ id: c.id, number: solve({ ...c, maxNumber: MAX_NUMBER }) });
      }
      const times = [];
      for (const s of solved) {
        const t0 = process.hrtime.bigint();
        if (side === 'haven') await captcha.verify(s);
        else if (!(await bareVerify(pool, s.id, s.number))) throw new Error('bare verify failed');
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      verifyRows[side] = { p50: pct(times, 50), p99: pct(times, 99) };
    }
    await ctx.close();

    // A browser's share: solving proofs of work at MAX_NUMBER (Node's SHA-256; the widget's Web Crypto is similar).
    const solveTimes = [];
    for (let i = 0; i < 30; i++) {
      const c = await bareIssue(pool, 'pow');
      const t0 = process.hrtime.bigint();
      solve({ ...c, maxNumber: MAX_NUMBER });
      solveTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }

    const avg = (xs, k) => xs.reduce((a, x) => a + x[k], 0) / xs.length;
    console.log(
      `\nCaptcha benchmark — node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), ${ROUNDS} interleaved rounds x ${SECONDS} s, ${CONNECTIONS} connections`,
    );
    console.log('issue (HTTP)    | Haven req/s | bare req/s | ratio | Haven p50/p99 ms | bare p50/p99 ms | non-2xx');
    for (const r of rows) {
      const h = avg(r.haven, 'rps');
      const b = avg(r.bare, 'rps');
      console.log(
        `${r.kind.padEnd(15)} | ${h.toFixed(0).padStart(11)} | ${b.toFixed(0).padStart(10)} | ${(h / b).toFixed(2).padStart(5)} | ` +
          `${avg(r.haven, 'p50').toFixed(1)}/${avg(r.haven, 'p99').toFixed(1)}`.padStart(15) +
          ` | ${`${avg(r.bare, 'p50').toFixed(1)}/${avg(r.bare, 'p99').toFixed(1)}`.padStart(15)} | ${avg(r.haven, 'non2xx') + avg(r.bare, 'non2xx')}`,
      );
    }
    console.log(
      `verify pow      | Haven p50/p99 ${verifyRows.haven.p50.toFixed(2)}/${verifyRows.haven.p99.toFixed(2)} ms | ` +
        `bare p50/p99 ${verifyRows.bare.p50.toFixed(2)}/${verifyRows.bare.p99.toFixed(2)} ms (400 sequential, in-process, same database)`,
    );
    console.log(
      `solve pow       | p50 ${pct(solveTimes, 50).toFixed(0)} ms, p99 ${pct(solveTimes, 99).toFixed(0)} ms at maxNumber ${MAX_NUMBER} (what a visitor's device spends)`,
    );
  } finally {
    haven.kill('SIGTERM');
    await new Promise((r) => haven.once('exit', r));
    bare.close();
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
