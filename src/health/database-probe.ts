import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, type Pool, type PoolClient } from 'pg';
import { DataSource } from 'typeorm';

/** Health answers within this: a probe that takes longer counts as down. */
export const PROBE_TIMEOUT_MS = 1000;

/**
 * What readiness asks of PostgreSQL, on a connection of its own so that it never queues behind traffic:
 * - `ping`: does the server answer (`SELECT 1` on the probe's own connection, reconnected after a failure);
 * - `poolAvailable`: can the request pool hand out a connection in time (readiness fails when traffic has it
 *   saturated for longer than PROBE_TIMEOUT_MS, so a load balancer sends new work elsewhere). While the pool is busy
 *   but moving (the connections handed out in the last second would clear its queue of waiters within
 *   PROBE_TIMEOUT_MS) it is available without a checkout; only a pool that has stopped moving is asked for a
 *   connection, so that under load the probe does not wait in the queue it is measuring.
 */
@Injectable()
export class DatabaseProbe implements OnApplicationShutdown {
  private client?: Promise<Client>;
  private readonly handedOut = new RecentCount(1000);
  private watched?: Pool;

  constructor(private readonly db: DataSource) {}

  async ping(): Promise<boolean> {
    try {
      const client = await within(this.connect(), PROBE_TIMEOUT_MS);
      await within(client.query('SELECT 1'), PROBE_TIMEOUT_MS);
      return true;
    } catch {
      this.drop();
      return false;
    }
  }

  async poolAvailable(): Promise<boolean> {
    const pool = this.pool();
    if (!pool) return true;
    if (this.watched !== pool) {
      this.watched = pool;
      pool.on('acquire', () => this.handedOut.add());
    }
    const max = (pool.options as { max?: number }).max ?? 10;
    if (pool.idleCount > 0 || pool.totalCount < max) return true;
    const perMs = this.handedOut.total() / 1000;
    if (perMs > 0 && pool.waitingCount / perMs < PROBE_TIMEOUT_MS) return true;
    const checkout = pool.connect();
    try {
      (await within(checkout, PROBE_TIMEOUT_MS)).release();
      return true;
    } catch {
      // Late: give the connection straight back when it comes.
      checkout.then((c: PoolClient) => c.release()).catch(() => undefined);
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.drop();
  }

  private connect(): Promise<Client> {
    if (!this.client) {
      const options = this.db.options as { url?: string };
      const client = new Client({
        connectionString: options.url,
        connectionTimeoutMillis: PROBE_TIMEOUT_MS,
        statement_timeout: PROBE_TIMEOUT_MS,
        application_name: 'haven-health',
      });
      client.on('error', () => this.drop());
      this.client = client.connect().then(() => client);
      this.client.catch(() => this.drop());
    }
    return this.client;
  }

  private drop(): void {
    const client = this.client;
    this.client = undefined;
    void client?.then((c) => c.end()).catch(() => undefined);
  }

  private pool(): Pool | undefined {
    return (this.db.driver as unknown as { master?: Pool }).master;
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** How many times something happened in the last `windowMs` (ten buckets: cheap to add, a tenth of a window coarse). */
class RecentCount {
  private readonly buckets = new Array<number>(10).fill(0);
  private current = 0;

  constructor(private readonly windowMs: number) {}

  add(): void {
    this.roll();
    this.buckets[this.current % 10] += 1;
  }

  total(): number {
    this.roll();
    return this.buckets.reduce((a, b) => a + b, 0);
  }

  /** Empties the buckets that have fallen out of the window since the last call. */
  private roll(): void {
    const bucket = Math.floor(performance.now() / (this.windowMs / 10));
    for (let b = Math.max(this.current + 1, bucket - 9); b <= bucket; b++) this.buckets[b % 10] = 0;
    this.current = Math.max(this.current, bucket);
  }
}
