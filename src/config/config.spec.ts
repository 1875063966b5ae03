import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './config';

const secrets = {
  JWT_SECRET: 'j'.repeat(40),
  CAPTCHA_SECRET: 'c'.repeat(40),
  IP_HASH_SECRET: 'i'.repeat(40),
  JOURNAL_SECRET: 'k'.repeat(40),
};
const tempDir = () => mkdtempSync(path.join(tmpdir(), 'haven-config-'));

describe(loadConfig.name, () => {
  it('reads defaults for a bare environment', () => {
    const config = loadConfig({ ...secrets, DATA_DIR: tempDir() });
    expect(config).toMatchObject({
      nodeEnv: 'development',
      http: { host: '0.0.0.0', port: 3000, bodyLimitBytes: 65536 },
      databaseUrl: undefined,
      redisUrl: undefined,
      migrationsRun: true,
      rateLimits: true,
      auth: { accessTokenTtlSeconds: 900 },
      captcha: { ttlSeconds: 600 },
    });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({
        ...secrets,
        PORT: 'eighty',
        DATABASE_URL: 'mysql://nope',
        REDIS_URL: 'http://x',
        RATE_LIMITS: 'maybe',
        MIGRATIONS_RUN: 'perhaps',
        LOG_LEVEL: 'loud',
        NODE_ENV: 'staging',
        CORS_ORIGINS: 'not an origin',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'REDIS_URL',
      'RATE_LIMITS',
      'MIGRATIONS_RUN',
      'LOG_LEVEL',
      'NODE_ENV',
      'CORS_ORIGINS',
    ]) {
      expect(problems).toContain(name);
    }
  });

  it('requires every secret in production and refuses RATE_LIMITS=off there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', RATE_LIMITS: 'off' })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production', RATE_LIMITS: 'off', JWT_SECRET: 'short' });
    } catch (e) {
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toContain('JWT_SECRET must be at least 32 characters');
      expect(problems).toContain('CAPTCHA_SECRET is required');
      expect(problems).toContain('JOURNAL_SECRET is required');
      expect(problems).toContain('RATE_LIMITS=off is refused');
    }
    expect(loadConfig({ NODE_ENV: 'production', ...secrets }).isProduction).toBe(true);
  });

  it('generates missing secrets once outside production and keeps them under DATA_DIR (mode 0600)', () => {
    const dir = tempDir();
    const first = loadConfig({ DATA_DIR: dir });
    const second = loadConfig({ DATA_DIR: dir });
    expect(first.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.auth.jwtSecret).toBe(first.auth.jwtSecret);
    expect(second.captcha.secret).toBe(first.captcha.secret);
    expect(first.captcha.secret).not.toBe(first.auth.jwtSecret);
    const file = path.join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')) as object)).toEqual([
      'JWT_SECRET',
      'CAPTCHA_SECRET',
      'IP_HASH_SECRET',
      'JOURNAL_SECRET',
    ]);
  });

  it('reads TRUST_PROXY as a switch, a hop count or a list of proxies', () => {
    const dir = tempDir();
    const read = (v: string) => loadConfig({ ...secrets, DATA_DIR: dir, TRUST_PROXY: v }).http.trustProxy;
    expect(read('false')).toBe(false);
    expect(read('true')).toBe(true);
    expect(read('1')).toBe(1);
    expect(read('10.0.0.0/8, 127.0.0.1')).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => read('the proxy')).toThrow('TRUST_PROXY');
  });

  it('names a damaged secrets file instead of crashing', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'secrets.json'), '{ not json');
    expect(() => loadConfig({ DATA_DIR: dir })).toThrow(/secrets\.json is not valid JSON/);
  });

  it('prefers secrets from the environment', () => {
    const config = loadConfig({ ...secrets, DATA_DIR: tempDir() });
    expect(config.auth.jwtSecret).toBe(secrets.JWT_SECRET);
  });
});
