import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Client, type Pool, type PoolClient } from 'pg';
import { DataSource } from 'typeorm';

/** Health answers within this: a probe that takes longer counts as down. */
export const PROBE_TIMEOUT_MS = 1000;

/**
 * What readiness asks of PostgreSQL, on a connection of its own so that it never queues behind traffic:
 * - `ping`: does the server answer (`SELECT 1` on the probe's own connection, reconnected after a failure);
 * - `poolAvailable`: can the request pool hand out a connection in time (readiness fails when traffic has it
 *   saturated for longer than PROBE_TIMEOUT_MS, so a load balancer sends new work elsewhere).
 */
@Injectable()
export class DatabaseProbe implements OnApplicationShutdown {
  private client?: Promise<Client>;

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
    const max = (pool.options as { max?: number }).max ?? 10;
    if (pool.idleCount > 0 || pool.totalCount < max) return true;
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
