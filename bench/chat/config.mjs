/** The chat benchmark's knobs (environment) and fixed settings. */
export const env = process.env;
const int = (name, fallback) => (env[name] ? Number.parseInt(env[name], 10) : fallback);
export const RECEIVERS = int('BENCH_RECEIVERS', 1000);
export const RATE = int('BENCH_RATE', 10);
export const SECONDS = int('BENCH_SECONDS', 20);
export const FAULT_RECEIVERS = int('BENCH_FAULT_RECEIVERS', 200);
export const FAULT_PAUSE = env.BENCH_FAULT_PAUSE !== '0';
export const ONLY = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(',')) : undefined;
export const KEEP_DB = env.BENCH_KEEP_DB === '1';
export const REDIS_URL = env.REDIS_URL || 'redis://127.0.0.1:6379';
export const BASELINE_SOCKETS = 50;
/**
 * Quiet time between the join burst and the measurement. Haven's database pool grew to its maximum during the joins
 * and drops the surplus after 10 s idle (pg's idleTimeoutMillis): closing ~40 connections at once stalled every query
 * for 200-400 ms on the 2-core machine this was written on, which is the pool, not the fan-out.
 */
export const SETTLE_MS = int('BENCH_SETTLE_MS', 12_000);
export const HARD_LIMIT_MS = 9 * 60_000;
/** Extra node flags for the Haven processes, e.g. "--trace-gc" (with BENCH_DEBUG=1 their output is printed). */
export const HAVEN_NODE_ARGS = (env.BENCH_HAVEN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
export const ROOM = 'bench-room';

export const log = (msg) => console.log(`[${new Date().toISOString().slice(11, 23)}] ${msg}`);
