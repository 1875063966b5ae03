/** The peer benchmark's knobs (environment) and goals. The seeded forum's sizes are the forum benchmark's. */
import { elapsedLog } from '../lib/util.mjs';

export const env = process.env;
const num = (name, fallback) => (env[name] ? Number(env[name]) : fallback);
export const ROUNDS = num('BENCH_ROUNDS', 3);
export const SECONDS = num('BENCH_SECONDS', 5);
export const WARMUP_SECONDS = num('BENCH_WARMUP_SECONDS', 3);
export const CONNECTIONS = num('BENCH_CONNECTIONS', 20);
export const KEEP_DB = env.BENCH_KEEP_DB === '1';
/** guest or member: who the measured reads are sent as (both are checked for identical JSON either way). */
export const AS = env.BENCH_AS === 'guest' ? 'guest' : 'member';
export const ONLY = env.BENCH_ONLY ? env.BENCH_ONLY.split(',').map((s) => s.trim()) : null;
/** Long enough for the seed and every round with the default knobs; a watchdog stops the run past it. */
export const HARD_LIMIT_MS = 15 * 60_000;

/** Goals (issue 16): reads >= 0.85x the bare server and p99 <= 1.3x its p99; a reply >= 0.75x; SSR <= 1.2x JSON. */
export const READ_RATIO = 0.85;
export const READ_P99_RATIO = 1.3;
export const REPLY_RATIO = 0.75;
export const SSR_RATIO = 1.2;

export const log = elapsedLog;
