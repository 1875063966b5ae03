import { Client } from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { TestApp } from '../app';

/**
 * Counts the statements the app's own pool sends (TypeORM's queries and the prepared hot reads alike, both go
 * through pg's Client.query), in process, while `counted` runs. pg-boss's connections (its maintenance) are not the
 * request's and are left out. Install in beforeAll, uninstall in afterAll.
 */
export class StatementRecorder {
  private readonly statements: string[] = [];
  private recording = false;
  private readonly realQuery = Client.prototype.query;

  install(t: TestApp): void {
    const pool = (t.db.driver as PostgresDriver).master as { _clients: unknown[] };
    const realQuery = this.realQuery;
    const record = (client: Client, q: string | { text: string }) => {
      if (this.recording && pool._clients.includes(client)) this.statements.push(typeof q === 'string' ? q : q.text);
    };
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      record(this, args[0] as string | { text: string });
      return (realQuery as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  }

  uninstall(): void {
    Client.prototype.query = this.realQuery;
  }

  /** What `work` answered, and the statements it sent. */
  async counted<T>(work: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
    this.statements.length = 0;
    this.recording = true;
    try {
      const result = await work();
      return { result, sql: [...this.statements] };
    } finally {
      this.recording = false;
    }
  }
}
