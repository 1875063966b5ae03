/** The thread page benchmark's knobs (environment) and the size of its seeded thread. */
import { elapsedLog } from '../lib/util.mjs';

export const env = process.env;
const num = (name, fallback) => (env[name] ? Number(env[name]) : fallback);
export const ROUNDS = num('BENCH_ROUNDS', 3);
export const SECONDS = num('BENCH_SECONDS', 5);
export const WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 3);
export const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
export const AUDIENCES = (env.BENCH_AS ?? 'guest,member').split(',').filter(Boolean);
export const GZIP = env.BENCH_GZIP === '1';
export const KEEP_DB = env.BENCH_KEEP_DB === '1';
export const BUDGET = 1.3;
export const HARD_LIMIT_MS = 8 * 60_000;

export const MEMBERS = 40;
export const POSTS = 60;
export const PASSWORD = 'bench-password-123';
export const CATEGORY = 'living-with-mbc';

export const log = elapsedLog;
