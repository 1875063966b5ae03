import { JobConnections } from './job-connections';

/** pg-boss's connections end only once every statement it started has answered. */
describe('JobConnections', () => {
  const url = process.env.DATABASE_URL;
  const noError = (error: Error) => {
    throw error;
  };

  it('answers every statement, those still waiting for one of its 4 connections too, before it closes', async () => {
    const connections = new JobConnections(url, noError);
    // Twelve polls at once: eight of them wait for a connection when closing begins.
    const polls = Array.from({ length: 12 }, (_, i) =>
      connections.executeSql('SELECT $1::int AS n FROM pg_sleep(0.05)', [i]),
    );
    expect(connections.busy).toBe(true);
    await connections.close(10_000);
    const answers = await Promise.allSettled(polls);
    expect(answers.map((a) => (a.status === 'fulfilled' ? a.value.rows[0] : a.reason))).toEqual(
      Array.from({ length: 12 }, (_, n) => ({ n })),
    );
    expect(connections.busy).toBe(false);
    await expect(connections.executeSql('SELECT 1')).rejects.toThrow(/after calling end/);
  });

  it('waits for a statement that began while it was waiting for the others', async () => {
    const connections = new JobConnections(url, noError);
    const first = connections.executeSql('SELECT pg_sleep(0.05)');
    // A completion sent when a poll answers, as pg-boss sends one after a job's handler returns.
    const second = first.then(() => connections.executeSql('SELECT 2 AS n'));
    await connections.close(10_000);
    await expect(second).resolves.toMatchObject({ rows: [{ n: 2 }] });
  });

  it('stops waiting after its time limit when a statement does not answer', async () => {
    const connections = new JobConnections(url, noError);
    const stuck = connections.executeSql('SELECT pg_sleep(30)').catch((error: Error) => error);
    const started = Date.now();
    await connections.close(300);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(connections.busy).toBe(true);
    // Ends the stuck statement's session, so that the test leaves nothing running.
    const ender = new JobConnections(url, noError);
    await ender.executeSql(
      "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)' AND pid <> pg_backend_pid()",
    );
    await ender.close(5_000);
    expect(await stuck).toBeInstanceOf(Error);
    await connections.close(5_000);
  });
});
