import { Pool } from 'pg';

/**
 * pg-boss's own connections, owned by Haven so that stopping is orderly. pg-boss would end its pool as soon as its
 * running jobs were done; a worker whose poll was still waiting for one of the pool's connections then waits
 * forever (pg's pool serves no waiter once it is ending), and pg-boss keeps checking on that worker every second
 * for the rest of the process's life. Here the pool stays open until every statement pg-boss started has answered,
 * and only then ends.
 */
export class JobConnections {
  private readonly pool: Pool;
  /** Statements under way: pg-boss's polls, completions, failures and maintenance. */
  private readonly running = new Set<Promise<unknown>>();
  private ended: Promise<void> | undefined;

  constructor(connectionString: string | undefined, onError: (error: Error) => void) {
    this.pool = new Pool({ connectionString, max: 4, application_name: 'haven-jobs' });
    // A connection lost while idle; the pool replaces it, and pg-boss retries the statement that failed.
    this.pool.on('error', onError);
  }

  /** What pg-boss calls for every statement (its `db` option). */
  readonly executeSql = (text: string, values?: unknown[]): Promise<{ rows: unknown[] }> => {
    const statement = this.pool.query(text, values);
    this.running.add(statement);
    const done = () => void this.running.delete(statement);
    statement.then(done, done);
    return statement;
  };

  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Settles when the statements under way now have answered (or failed). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  /**
   * Ends the pool once every statement under way (and any started meanwhile) has answered, so that none is left
   * waiting for a connection; a statement that never answers holds the app's stop no longer than `timeoutMs` (the
   * pool still ends once it answers). Closing again waits for the same end.
   */
  async close(timeoutMs: number): Promise<void> {
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    this.ended ??= (async () => {
      while (this.busy) await this.settled();
      await this.pool.end();
    })();
    await Promise.race([this.ended, timeout]);
  }
}
