import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';
import { createApp } from '../src/app';
import { loadConfig, type AppConfig } from '../src/config/config';

/** Fixed test secrets, so tokens from one test app are accepted by another (as across server processes). */
export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  RATE_LIMITS: 'off',
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
  CAPTCHA_SECRET: 'test-captcha-secret-0123456789abcdef01234',
  IP_HASH_SECRET: 'test-ip-hash-secret-0123456789abcdef01234',
  JOURNAL_SECRET: 'test-journal-secret-0123456789abcdef01234',
  CAPTCHA_POW_MAX_NUMBER: '2000',
  DATA_DIR: '/tmp/haven-test-data',
  // Mail and jobs: quick polls and retries, so a test waits seconds, not minutes.
  JOBS_POLL_MS: '500',
  MAIL_RETRY_DELAY_SECONDS: '1',
  PUBLIC_URL: 'http://haven.test',
};

export interface TestApp {
  app: NestFastifyApplication;
  http: TestAgent;
  db: DataSource;
  config: AppConfig;
  close(): Promise<void>;
}

/**
 * A whole Haven on the run's test database (migrations applied by whichever app starts first). `env` overrides
 * the test defaults, e.g. `{RATE_LIMITS: 'on'}`. Redis is used when the run has REDIS_URL, as in CI.
 */
export async function startTestApp(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  // Each app counts its own rate limits unless a test shares a prefix on purpose (two "processes", one Redis).
  const redisPrefix = `${process.env.REDIS_PREFIX ?? 'haven:test:'}${randomBytes(3).toString('hex')}:`;
  // Each app works only the jobs it queued (its mail goes to its own SMTP server or outbox), unless a test shares a
  // prefix on purpose (a server restarted on the same queue).
  const queuePrefix = `t${randomBytes(4).toString('hex')}-`;
  const config = loadConfig({
    ...process.env,
    ...TEST_ENV,
    REDIS_PREFIX: redisPrefix,
    JOBS_QUEUE_PREFIX: queuePrefix,
    ...env,
  });
  const app = await createApp(config, config.databaseUrl ?? requiredDatabaseUrl());
  // A real listening socket on loopback, as clients meet it (supertest's own listen-per-request races under load).
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    http: request(`http://127.0.0.1:${port}`),
    db: app.get(DataSource),
    config,
    close: () => app.close(),
  };
}

function requiredDatabaseUrl(): string {
  throw new Error('DATABASE_URL is not set: run the tests through jest, whose globalSetup provides a database');
}
