import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import PgBoss from 'pg-boss';
import { DataSource, type EntityManager } from 'typeorm';
import type { SqlParams } from '../common/sql/sql-params';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { JobConnections } from './job-connections';

/** pg-boss's schema: its default, which Haven keeps. */
const PGBOSS_SCHEMA = 'pgboss';

/** How a queue retries and how long one try may take before another process takes it over. */
export interface QueueSettings {
  retryLimit: number;
  /** Seconds before the first retry; each later one waits about twice as long (with jitter). */
  retryDelaySeconds: number;
  /** A try still running after this long (its process died, or it hangs) is failed and retried. */
  expireInSeconds: number;
  /** Workers in this process, each taking jobs one at a time. */
  concurrency?: number;
  /** Jobs a worker takes per fetch, then runs one after another (each fails or completes on its own): fewer
   * round trips to a busy queue for short jobs such as mail. */
  batchSize?: number;
}

export type JobHandler<T> = (data: T, job: { id: string; retryCount: number }) => Promise<void>;

/** Works a whole fetch at once; when it throws, its jobs are worked again one at a time (see `defineBatch`). */
export type BatchHandler<T> = (batch: T[]) => Promise<void>;

interface Definition {
  queue: string;
  settings: QueueSettings;
  handler: JobHandler<never> | { batch: BatchHandler<never> };
}

/**
 * Durable background work, kept in PostgreSQL by pg-boss (schema `pgboss`, installed and upgraded by pg-boss
 * itself). A job is queued with `send(manager, ...)` inside the transaction of the change that causes it, so the
 * two commit or roll back together. Features `define` their queues while the app starts; workers start once the
 * whole app is up and stop (their running jobs failed back to the queue for a retry) when it closes.
 */
@Injectable()
export class Jobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly definitions: Definition[] = [];
  private boss: PgBoss | undefined;
  private connections: JobConnections | undefined;
  /** Batches being worked in this process (pg-boss's stop waits only for those it saw start). */
  private readonly working = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  /** Registers a queue and its handler (call from a provider's constructor or onModuleInit). */
  define<T>(queue: string, settings: QueueSettings, handler: JobHandler<T>): void {
    this.definitions.push({ queue, settings, handler: handler as JobHandler<never> });
  }

  /**
   * Registers a queue whose jobs are worked a fetch (`batchSize`) at a time by one call: for jobs whose reads and
   * writes batch well (one statement for many jobs). When a batch fails, its jobs are worked again one at a time,
   * so that one bad job fails (and is retried) alone: the handler must be safe to run twice on the same job.
   */
  defineBatch<T>(queue: string, settings: QueueSettings, handler: BatchHandler<T>): void {
    this.definitions.push({ queue, settings, handler: { batch: handler as BatchHandler<never> } });
  }

  /**
   * Queues a job in the caller's transaction: it exists exactly when that transaction commits. `once` names the job
   * (e.g. the hour a recurring job is for): a job of that name is queued at most once, however many processes or
   * restarts send it (pg-boss keeps the first; the others do nothing).
   */
  async send<T extends object>(
    manager: EntityManager,
    queue: string,
    data: T,
    startAfter?: Date,
    once?: string,
  ): Promise<void> {
    const db = {
      executeSql: async (text: string, values: unknown[]) => ({ rows: rowsOf(await manager.query(text, values)) }),
    };
    const name = this.queueName(queue);
    await this.requireBoss().send(name, data, {
      db,
      ...(startAfter ? { startAfter } : {}),
      ...(once ? { id: jobIdOf(name, once) } : {}),
    });
  }

  /**
   * Queues a job from inside the caller's own statement: an `INSERT ... SELECT` to use as a data-modifying CTE, so a
   * write that is one statement (a reply) needs no transaction for its job to exist exactly when it commits. It is
   * pg-boss's own insert (plans.js insertJob, pg-boss 10) as `send` runs it with no per-job options, as Haven sends:
   * the queue's settings, else pg-boss's defaults. `data` is a jsonb expression and may read the statement's other
   * CTEs (the id of the row it inserts); `when`, a condition, queues the job only if it holds. Like `send`, it queues
   * nothing for a queue that does not exist.
   */
  sendSql(params: SqlParams, queue: string, data: string, when = 'true'): string {
    const name = params.add(this.queueName(queue), 'text');
    return `INSERT INTO ${PGBOSS_SCHEMA}.job (id, name, data, priority, start_after, singleton_key, singleton_on,
        dead_letter, expire_in, keep_until, retry_limit, retry_delay, retry_backoff, policy)
      SELECT gen_random_uuid(), q.name, ${data}, 0, now(), NULL, NULL, q.dead_letter,
             COALESCE(q.expire_seconds * interval '1s', interval '15 minutes'),
             now() + CAST(COALESCE((q.retention_minutes * 60)::text, '14 days') AS interval),
             COALESCE(q.retry_limit, 2),
             CASE WHEN COALESCE(q.retry_backoff, false) THEN GREATEST(q.retry_delay, 1) ELSE COALESCE(q.retry_delay, 0) END,
             COALESCE(q.retry_backoff, false), q.policy
        FROM ${PGBOSS_SCHEMA}.queue q WHERE q.name = ${name} AND (${when})
      ON CONFLICT DO NOTHING`;
  }

  /** Many jobs of one queue in one statement, in the caller's transaction (a digest run's mails, a batch at a time). */
  async sendMany<T extends object>(manager: EntityManager, queue: string, data: T[]): Promise<void> {
    if (data.length === 0) return;
    const db = {
      executeSql: async (text: string, values: unknown[]) => ({ rows: rowsOf(await manager.query(text, values)) }),
    };
    const name = this.queueName(queue);
    await this.requireBoss().insert(
      data.map((d) => ({ name, data: d })),
      { db },
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    const options = this.dataSource.options as { url?: string };
    // pg-boss reports its own failures (a lost connection while polling) as events; it retries by itself.
    const warn = (error: Error) => this.logger.warn(`job queue: ${error.message}`);
    this.connections = new JobConnections(options.url, warn);
    const boss = new PgBoss({
      db: this.connections,
      maintenanceIntervalSeconds: this.config.jobs.maintenanceSeconds,
      // Cron schedules are not used: recurring work (digests) is queued by the features themselves.
      schedule: false,
    });
    boss.on('error', warn);
    await boss.start();
    this.boss = boss;
    for (const definition of this.definitions) await this.startQueue(boss, definition);
  }

  /** Before the database connections close: a job still running may need them to finish. */
  async beforeApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    const connections = this.connections;
    this.boss = undefined;
    this.connections = undefined;
    // Running jobs get a few seconds to finish; the rest are failed back to their queue and retried elsewhere.
    await boss?.stop({ graceful: true, wait: true, timeout: 5000 });
    // A worker whose poll was under way when stopping began still works what it fetched, after stop has returned;
    // its completion is a statement of its own. Let both finish while the database is open (bounded), so that no
    // worker outlives the app: a worker stops once its poll has answered.
    const deadline = Date.now() + 5000;
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const left = deadline - Date.now();
      if ((this.working.size === 0 && !connections?.busy) || left <= 0) break;
      await Promise.race([
        Promise.allSettled([...this.working, connections?.settled()]),
        new Promise((resolve) => setTimeout(resolve, left).unref()),
      ]);
    }
    await connections?.close(5000);
  }

  private async startQueue(boss: PgBoss, { queue, settings, handler }: Definition): Promise<void> {
    const name = this.queueName(queue);
    const options = {
      name,
      retryLimit: settings.retryLimit,
      retryDelay: settings.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: settings.expireInSeconds,
    };
    // Two processes creating queues at once can deadlock inside pg-boss (each adds a partition with a foreign key to
    // the queue table): PostgreSQL stops one of them, which simply tries again.
    await retryDeadlock(() => boss.createQueue(name, options));
    // The queue may already exist with older settings: this process's settings apply from now on.
    await retryDeadlock(() => boss.updateQueue(name, options));
    if (!this.config.jobs.work) return;
    const work = {
      pollingIntervalSeconds: this.config.jobs.pollMs / 1000,
      includeMetadata: true as const,
      batchSize: settings.batchSize ?? 1,
    };
    const workOne = (job: { id: string; data: object; retryCount: number }) =>
      typeof handler === 'function'
        ? handler(job.data as never, { id: job.id, retryCount: job.retryCount })
        : handler.batch([job.data as never]);
    for (let i = 0; i < (settings.concurrency ?? 1); i++) {
      let workerId = '';
      workerId = await boss.work<object>(name, work, (jobs) =>
        this.track(async () => {
          try {
            if (typeof handler !== 'function' && jobs.length > 1) {
              try {
                return await handler.batch(jobs.map((job) => job.data as never));
              } catch {
                // Worked one at a time below, so that one bad job fails alone.
              }
            }
            for (const job of jobs) {
              try {
                await workOne(job);
              } catch (error) {
                // This job alone goes back for a retry; the others of the batch complete when the handler returns.
                await boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) });
              }
            }
          } finally {
            // A worker that found jobs looks for the next at once; only an empty queue waits for the next poll
            // (pg-boss otherwise takes one fetch per worker and poll: 2 mails a second at the default 2 s).
            if (workerId) boss.notifyWorker(workerId);
          }
        }),
      );
    }
  }

  /** Runs a batch, known to `working` until it ends. */
  private track(run: () => Promise<void>): Promise<void> {
    const batch = run();
    this.working.add(batch);
    const done = () => void this.working.delete(batch);
    batch.then(done, done);
    return batch;
  }

  private queueName(queue: string): string {
    return `${this.config.jobs.queuePrefix}${queue}`;
  }

  private requireBoss(): PgBoss {
    if (!this.boss) throw new Error('The job queue is not running (the app has not started, or it is closing)');
    return this.boss;
  }
}

/** Runs `work` again (a few times, after a short random pause) when PostgreSQL broke a deadlock by stopping it. */
async function retryDeadlock(work: () => Promise<unknown>, tries = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await work();
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt >= tries) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200 * attempt));
    }
  }
}

/** A job id (a UUID) that only this queue and name give. */
function jobIdOf(queue: string, once: string): string {
  const h = createHash('sha256').update(`${queue}\n${once}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** TypeORM answers some statements with [rows, count]; pg-boss wants the rows. */
function rowsOf(result: unknown): unknown[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as unknown[];
  }
  return Array.isArray(result) ? result : [];
}
