import type { TableFingerprint } from '@taskstack/db/repositories';
import type pg from 'pg';

/**
 * Session settings that fix how a row prints as text, so a row hashes the same in the live database and in a
 * restored copy whatever the connecting client set (time zone, date and interval styles, float digits).
 */
export const FINGERPRINT_SETTINGS = [
  `SET TimeZone = 'UTC'`,
  `SET DateStyle = 'ISO, YMD'`,
  `SET IntervalStyle = 'postgres'`,
  `SET extra_float_digits = 1`,
  `SET bytea_output = 'hex'`,
];

/** Tables the journal leaves out: its own rows are written after the moment they describe. */
export const UNJOURNALLED = ['public.recovery_journal'];

/**
 * One row per user table: its name (`schema.table`, and both parts), and the statement that fingerprints it — the row count and the sum of a 64-bit
 * hash of every row's text, which does not depend on row order (a restore may lay rows out differently). The
 * journal runs these statements itself; the drill runs the same list in the restored cluster with psql's \gexec,
 * so both sides compute exactly the same thing.
 */
export const FINGERPRINT_QUERIES_SQL = `
SELECT n.nspname || '.' || c.relname AS name, n.nspname AS schema, c.relname AS "table",
       format('SELECT %L AS name, count(*) AS rows, coalesce(sum(hashtextextended(t::text, 0)), 0)::text AS checksum FROM %I.%I t',
              n.nspname || '.' || c.relname, n.nspname, c.relname) AS query
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
   AND n.nspname || '.' || c.relname <> ALL (ARRAY[${UNJOURNALLED.map((t) => `'${t}'`).join(', ')}])
 ORDER BY 1`;

/** Fingerprints every table in the client's current transaction (its snapshot decides what is counted). */
export async function fingerprintTables(client: pg.Client): Promise<Record<string, TableFingerprint>> {
  for (const setting of FINGERPRINT_SETTINGS) await client.query(setting.replace(/^SET /, 'SET LOCAL '));
  const { rows: tables } = await client.query<{ name: string; query: string }>(FINGERPRINT_QUERIES_SQL);
  const result: Record<string, TableFingerprint> = {};
  for (const { name, query } of tables) {
    const { rows } = await client.query<{ rows: string; checksum: string }>(query);
    result[name] = { rows: Number(rows[0]!.rows), checksum: rows[0]!.checksum };
  }
  return result;
}

/** The drill's fingerprints among its output lines (`fingerprint<TAB>name<TAB>rows<TAB>checksum`). */
export function parseFingerprints(lines: string[]): Record<string, TableFingerprint> {
  const result: Record<string, TableFingerprint> = {};
  for (const line of lines) {
    const m = /^fingerprint\t(.+)\t(\d+)\t(-?\d+)$/.exec(line);
    if (m) result[m[1]!] = { rows: Number(m[2]), checksum: m[3]! };
  }
  return result;
}

/** Tables that differ, as one line each; empty when the restored data is what the journal recorded. */
export function compareFingerprints(
  journalled: Record<string, TableFingerprint>,
  restored: Record<string, TableFingerprint>,
): string[] {
  const names = [...new Set([...Object.keys(journalled), ...Object.keys(restored)])].sort();
  return names.flatMap((name) => {
    const want = journalled[name];
    const got = restored[name];
    if (!want) return [`${name}: in the restored copy but not in the journal`];
    if (!got) return [`${name}: journalled (${want.rows} rows) but missing from the restored copy`];
    if (want.rows !== got.rows) return [`${name}: journalled ${want.rows} rows, restored ${got.rows}`];
    if (want.checksum !== got.checksum)
      return [`${name}: ${want.rows} rows as journalled, but their checksum differs`];
    return [];
  });
}
