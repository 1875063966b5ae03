import type { DataSource } from 'typeorm';
import type { PreparedStatement } from '../../src/database/prepared';

type Literal = string | number | boolean | null;
const literal = (v: Literal) =>
  v === null ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v);

/**
 * The plan PostgreSQL keeps for a prepared statement once it stops planning per call (the generic plan, which sees
 * no parameter values): a statement that seeks with its values must still seek without them.
 */
export async function genericPlan(db: DataSource, statement: PreparedStatement, values: Literal[]): Promise<string> {
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SET plan_cache_mode = force_generic_plan`);
    await runner.query(`PREPARE plan_check AS ${statement.text}`);
    const rows = (await runner.query(`EXPLAIN EXECUTE plan_check(${values.map(literal).join(', ')})`)) as Array<{
      'QUERY PLAN': string;
    }>;
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await runner.query(`DEALLOCATE ALL`);
    await runner.query(`RESET plan_cache_mode`);
    await runner.release();
  }
}
