/** The conversations benchmark's sizes and knobs (the forum benchmark's round, time and connection knobs apply). */
import { elapsedLog } from '../lib/util.mjs';

export const env = process.env;
export const KEEP_DB = env.BENCH_KEEP_DB === '1';
export const HARD_LIMIT_MS = 7 * 60_000;

/** Members; the first LOGIN_MEMBERS have a real password (the others cannot sign in). */
export const MEMBERS = 2000;
export const LOGIN_MEMBERS = 20;
/** Member 1 is in this many direct conversations (members 2.. each); the first holds BIG_MESSAGES messages. */
export const MEMBER_ONE_CONVERSATIONS = 60;
export const BIG_MESSAGES = 1000;
/** Messages in each other conversation, and how many other conversations (random pairs of other members). */
export const SMALL_MESSAGES = 10;
export const OTHER_CONVERSATIONS = 6000;
export const PASSWORD = 'bench-password-123';

export const log = elapsedLog;
