import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Failed sign-ins past which a captcha is asked for, or (a client's own, far more) refused for a while. */
export interface LoginBrakeLimits {
  /** A client (keyed IP hash) that failed this often, on any accounts, solves a captcha to go on. */
  clientCaptchaAfter: number;
  /** A client that failed this often gets 429 with Retry-After until the window ends. */
  clientRefusedAfter: number;
  /** An account failed this often, from anywhere: clients that failed on it solve a captcha. */
  accountCaptchaAfter: number;
  windowSeconds: number;
}

/**
 * The whole environment, read and validated once at boot. Every bad variable is named in one error, so an
 * operator fixes them all in one go. Nothing else in the code reads `process.env`.
 */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  isProduction: boolean;
  http: {
    host: string;
    port: number;
    /** Fastify's trustProxy: false, true (every hop), a hop count, or the proxies' addresses / CIDR ranges. */
    trustProxy: boolean | number | string[];
    corsOrigins: string[];
    bodyLimitBytes: number;
  };
  dataDir: string;
  /** Unset: an embedded PostgreSQL under `dataDir` is started by `resolveDatabaseUrl`. */
  databaseUrl: string | undefined;
  migrationsRun: boolean;
  redisUrl: string | undefined;
  /** Prefix for every Redis key, so several Havens (or test runs) can share one Redis. */
  redisPrefix: string;
  rateLimits: boolean;
  /** Global request budget per client IP and minute (when rate limits are on). */
  globalRateLimitPerMinute: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  auth: {
    jwtSecret: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlDays: number;
    /** The sign-in brake (src/auth/login-throttle.ts): failures counted within `windowSeconds`. */
    loginBrake: LoginBrakeLimits;
  };
  comments: {
    /** Members solve a captcha too (guests always do). */
    captchaForMembers: boolean;
    /** Keys the salted hash under which a commenter's IP is kept (never the IP itself). */
    ipHashSecret: string;
    /** Edits by the author are allowed this long after posting. */
    editWindowMinutes: number;
    /** A form sent sooner than this after its form was shown (or, without a form stamp, its captcha issued) is held as a spam signal (people take longer). */
    minFillSeconds: number;
  };
  moderation: {
    /** Distinct members with open reports on an item that hide it until a moderator decides. */
    autoHideReports: number;
    /** Shown to an author whose text matched crisis words. */
    crisisSupportText: string;
  };
  /** The longest chat message, in characters (CHAT_MAX_LENGTH, default 2000). */
  chatMaxLength: number;
  /** New private conversations a member may start in 24 hours (CONVERSATIONS_PER_DAY, default 10). */
  conversationsPerDay: number;
  mail: {
    /** Unset: mail is kept in the local outbox in the database (read at /admin/mail) instead of being sent. */
    smtpUrl: string | undefined;
    from: string;
    /** The site's address for links in mail. */
    publicUrl: string;
    /** A send that takes longer is given up and retried (the queue hands a try stuck twice as long to another
     * process: its sender died). */
    sendTimeoutSeconds: number;
    /** First retry after this many seconds, doubling (with jitter) up to `retryLimit` tries. */
    retryDelaySeconds: number;
    retryLimit: number;
  };
  jobs: {
    /** Whether this process works jobs (JOBS_WORK=off: it only queues them, for others to work). */
    work: boolean;
    /** Prefix of every queue name, so test servers sharing one database work only their own jobs. */
    queuePrefix: string;
    /** How often an idle worker looks for new jobs (a job queued by this process wakes its worker at once). */
    pollMs: number;
    /** How often (across all processes) stalled jobs of a dead process are expired and retried. */
    maintenanceSeconds: number;
  };
  captcha: {
    secret: string;
    ttlSeconds: number;
    powMaxNumber: number;
    /** Challenges one IP may fetch per minute (when rate limits are on). */
    issuePerMinute: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Secrets that must be set in production and are otherwise generated once and kept under DATA_DIR. */
const SECRET_VARS = ['JWT_SECRET', 'CAPTCHA_SECRET', 'IP_HASH_SECRET'] as const;
type SecretVar = (typeof SECRET_VARS)[number];
const SECRETS_FILE = 'secrets.json';

export const DEFAULT_CRISIS_SUPPORT_TEXT =
  'It sounds like things are very hard right now. You are not alone, and you deserve support. ' +
  'If you might act on thoughts of harming yourself, or you are in danger, please call your local emergency number ' +
  '(112 in Europe, 911 in the US and Canada, 999 in the UK) now. You can also reach a crisis line any time: ' +
  'in the US call or text 988; in the UK and Ireland call Samaritans on 116 123; elsewhere, find a line at ' +
  'https://findahelpline.com. A moderator has been asked to look in on you.';

class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  bool(name: string, fallback: boolean, truthy = 'true', falsy = 'false'): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (value === truthy || value === '1') return true;
    if (value === falsy || value === '0') return false;
    this.problems.push(`${name} must be ${truthy} or ${falsy} (got "${value}")`);
    return fallback;
  }

  url(name: string, protocols: string[]): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      const u = new URL(value);
      if (!protocols.includes(u.protocol)) throw new Error('protocol');
      return value;
    } catch {
      this.problems.push(`${name} must be a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL`);
      return undefined;
    }
  }
}

export function loadConfig(env: Env = process.env): AppConfig {
  const r = new EnvReader(env);
  const nodeEnv = r.oneOf('NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const isProduction = nodeEnv === 'production';
  const dataDir = path.resolve(r.string('DATA_DIR', './.haven-data'));
  const rateLimits = r.oneOf('RATE_LIMITS', ['on', 'off'] as const, 'on') === 'on';
  if (isProduction && !rateLimits) r.problems.push('RATE_LIMITS=off is refused when NODE_ENV=production');

  const corsOrigins = (r.raw('CORS_ORIGINS') ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      r.problems.push(`CORS_ORIGINS entries must be origins like https://example.org (got "${origin}")`);
    }
  }

  const secrets = readSecrets(r, isProduction, dataDir);

  const config: AppConfig = {
    nodeEnv,
    isProduction,
    http: {
      host: r.string('HOST', '0.0.0.0'),
      port: r.int('PORT', 3000, 0, 65535),
      trustProxy: readTrustProxy(r),
      corsOrigins,
      bodyLimitBytes: 64 * 1024,
    },
    dataDir,
    databaseUrl: r.url('DATABASE_URL', ['postgres:', 'postgresql:']),
    migrationsRun: r.bool('MIGRATIONS_RUN', true),
    redisUrl: r.url('REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: r.string('REDIS_PREFIX', 'haven:'),
    rateLimits,
    globalRateLimitPerMinute: r.int('GLOBAL_RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    logLevel: r.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    auth: {
      jwtSecret: secrets.JWT_SECRET,
      accessTokenTtlSeconds: 15 * 60,
      refreshTokenTtlDays: r.int('REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
      loginBrake: { clientCaptchaAfter: 5, clientRefusedAfter: 30, accountCaptchaAfter: 10, windowSeconds: 15 * 60 },
    },
    comments: {
      captchaForMembers: r.bool('CAPTCHA_FOR_MEMBERS', false),
      ipHashSecret: secrets.IP_HASH_SECRET,
      editWindowMinutes: 15,
      minFillSeconds: r.int('COMMENT_MIN_FILL_SECONDS', 3, 0, 60),
    },
    moderation: {
      autoHideReports: r.int('AUTO_HIDE_REPORTS', 3, 1, 1000),
      crisisSupportText: r.string('CRISIS_SUPPORT_TEXT', DEFAULT_CRISIS_SUPPORT_TEXT),
    },
    chatMaxLength: r.int('CHAT_MAX_LENGTH', 2000, 1, 20000),
    conversationsPerDay: r.int('CONVERSATIONS_PER_DAY', 10, 1, 1000),
    mail: readMail(r),
    jobs: {
      work: r.oneOf('JOBS_WORK', ['on', 'off'] as const, 'on') === 'on',
      queuePrefix: r.string('JOBS_QUEUE_PREFIX', ''),
      pollMs: r.int('JOBS_POLL_MS', 2000, 500, 60_000),
      maintenanceSeconds: r.int('JOBS_MAINTENANCE_SECONDS', 60, 1, 3600),
    },
    captcha: {
      secret: secrets.CAPTCHA_SECRET,
      ttlSeconds: r.int('CAPTCHA_TTL_SECONDS', 600, 10, 3600),
      powMaxNumber: r.int('CAPTCHA_POW_MAX_NUMBER', 100_000, 10, 10_000_000),
      issuePerMinute: r.int('CAPTCHA_ISSUE_PER_MINUTE', 30, 1, 10_000),
    },
  };
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

function readMail(r: EnvReader): AppConfig['mail'] {
  const port = r.int('PORT', 3000, 0, 65535);
  const publicUrl = r.url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`;
  const from = r.string('MAIL_FROM', 'Haven <no-reply@haven.localhost>');
  if (!/^[^\r\n<>]*<?[^\s@<>]+@[^\s@<>]+>?$/.test(from)) {
    r.problems.push(`MAIL_FROM must be an address, optionally with a name: "Haven <no-reply@example.org>"`);
  }
  return {
    smtpUrl: r.url('SMTP_URL', ['smtp:', 'smtps:']),
    from,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    sendTimeoutSeconds: r.int('MAIL_SEND_TIMEOUT_SECONDS', 60, 1, 600),
    retryDelaySeconds: r.int('MAIL_RETRY_DELAY_SECONDS', 30, 1, 3600),
    retryLimit: r.int('MAIL_RETRY_LIMIT', 10, 0, 50),
  };
}

/** TRUST_PROXY: `false` (default), `true`, a number of hops, or a comma list of proxy addresses or CIDR ranges. */
function readTrustProxy(r: EnvReader): boolean | number | string[] {
  const value = r.raw('TRUST_PROXY');
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const list = value.split(',').map((v) => v.trim());
  if (list.every((v) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(v))) return list;
  r.problems.push(`TRUST_PROXY must be true, false, a number of hops, or proxy addresses/CIDRs (got "${value}")`);
  return false;
}

/**
 * Secrets come from the environment; in production each must be set (and long enough). Elsewhere a missing one
 * is generated once and kept in DATA_DIR/secrets.json (mode 0600), so tokens survive a restart.
 */
function readSecrets(r: EnvReader, isProduction: boolean, dataDir: string): Record<SecretVar, string> {
  const out = {} as Record<SecretVar, string>;
  const missing: SecretVar[] = [];
  for (const name of SECRET_VARS) {
    const value = r.raw(name);
    if (value !== undefined && value.length < 32) r.problems.push(`${name} must be at least 32 characters`);
    if (value !== undefined) out[name] = value;
    else if (isProduction) r.problems.push(`${name} is required when NODE_ENV=production`);
    else missing.push(name);
  }
  if (missing.length > 0 && r.problems.length === 0) {
    const stored = readOrCreateSecretsFile(dataDir, missing);
    for (const name of missing) out[name] = stored[name];
  }
  return out;
}

export function readOrCreateSecretsFile(dataDir: string, names: readonly string[]): Record<string, string> {
  const file = path.join(dataDir, SECRETS_FILE);
  let stored: Record<string, string> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    } catch {
      throw new ConfigError([`${file} is not valid JSON: repair it, or delete it to generate new secrets`]);
    }
  }
  const absent = names.filter((n) => typeof stored[n] !== 'string');
  if (absent.length > 0) {
    for (const name of absent) stored[name] = randomBytes(48).toString('base64url');
    ensureDataDir(dataDir);
    // Write then rename, so two processes starting at once never read a half-written file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(stored, null, 2), { mode: 0o600 });
    renameSync(tmp, file);
  }
  return stored;
}

/** DATA_DIR must be enterable by the `postgres` user when the embedded server runs as it (see database/embedded). */
export function ensureDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) {
    mkdirSync(dataDir, { recursive: true });
    chmodSync(dataDir, 0o755);
  }
}
