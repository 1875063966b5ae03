/** The forum benchmark's knobs (environment) and the size of its seeded forum. */
import { elapsedLog } from '../lib/util.mjs';

export const env = process.env;
const num = (name, fallback) => (env[name] ? Number(env[name]) : fallback);
export const ROUNDS = num('BENCH_ROUNDS', 3);
export const SECONDS = num('BENCH_SECONDS', 5);
export const WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 3);
export const CONNECTIONS = num('BENCH_CONNECTIONS', 20);
export const KEEP_DB = env.BENCH_KEEP_DB === '1';
export const HARD_LIMIT_MS = 7 * 60_000;

export const MEMBERS = 1000;
export const LOGIN_MEMBERS = 50;
export const CATEGORIES = 10;
export const THREADS_PER_CATEGORY = 500;
export const THREADS = CATEGORIES * THREADS_PER_CATEGORY;
export const POSTS = 100_000;
export const BIG_THREAD_POSTS = 5000;
export const BIG_THREAD_ID = THREADS; // the last thread (category 10)
export const PINNED = 20; // threads 1..20: two per category
export const PARAGRAPHS = 4000;
export const PASSWORD = 'bench-password-123';

export const log = elapsedLog;
