import type pg from 'pg';

/** Row count of every user table, keyed `schema.table`: what a restore must reproduce exactly. */
export async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const { rows: tables } = await client.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
      ORDER BY 1, 2`,
  );
  const counts: Record<string, number> = {};
  for (const { schema, name } of tables) {
    const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${qualified}`);
    counts[`${schema}.${name}`] = Number(rows[0]!.n);
  }
  return counts;
}

/** Tables whose counts differ, as `table: expected N, found M` lines; empty when the restore is complete. */
export function compareCounts(expected: Record<string, number>, actual: Record<string, number>): string[] {
  const names = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...names]
    .sort()
    .filter((name) => expected[name] !== actual[name])
    .map((name) => `${name}: expected ${expected[name] ?? 'no table'}, found ${actual[name] ?? 'no table'}`);
}
