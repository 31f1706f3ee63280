import type { TableFingerprint } from '@taskstack/db/repositories';
import { withClient } from '../backup/pg-tools.js';
import { fingerprintTables, FINGERPRINT_QUERIES_SQL } from './fingerprints.js';

/** Raised when writers held the tables too long to take a consistent moment; the next journal run tries again. */
export class JournalBusyError extends Error {}

/**
 * A moment (ISO, UTC, to the microsecond) and what every table held at it, such that a restore to exactly that moment must reproduce it.
 *
 * A restore to time M replays every transaction whose commit is stamped at or before M, but a plain snapshot taken
 * at M can miss a transaction stamped just before M that was still flushing its commit, or see one stamped after
 * M: the drill would then fail for nothing. So one session briefly takes SHARE locks on every table (writers
 * already running finish first; new ones wait), reads the clock and exports its snapshot; a second session adopts
 * that snapshot and the locks are released at once, before the (slow) fingerprinting. Writers are held up for
 * the few milliseconds of the lock, never for the fingerprinting. `lock_timeout` (500 ms, below the default
 * `deadlock_timeout` of 1 s) makes the journal, never an application transaction, give way when the tables are
 * busy.
 */
export async function takeJournalEntry(
  databaseUrl: string,
): Promise<{ at: string; tables: Record<string, TableFingerprint> }> {
  return withClient(databaseUrl, (holder) =>
    withClient(databaseUrl, async (reader) => {
      const { rows: tables } = await holder.query<{ schema: string; table: string }>(FINGERPRINT_QUERIES_SQL);
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      let at: string;
      let snapshot: string;
      try {
        await holder.query(`SET LOCAL lock_timeout = '500ms'`);
        if (tables.length > 0) {
          const list = tables
            .map(
              ({ schema, table }) => `${holder.escapeIdentifier(schema)}.${holder.escapeIdentifier(table)}`,
            )
            .join(', ');
          await holder.query(`LOCK TABLE ${list} IN SHARE MODE`).catch((error: { code?: string }) => {
            if (error.code === '55P03') throw new JournalBusyError('tables busy: no journal entry this time');
            throw error;
          });
        }
        // To the microsecond: a commit a fraction of a millisecond before the lock must fall before the target.
        const { rows } = await holder.query<{ snapshot: string; at: string }>(
          `SELECT pg_export_snapshot() AS snapshot,
                  to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`,
        );
        ({ snapshot, at } = rows[0]!);
        await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await reader.query(`SET TRANSACTION SNAPSHOT ${reader.escapeLiteral(snapshot)}`);
      } finally {
        await holder.query('COMMIT').catch(() => {});
      }
      try {
        return { at, tables: await fingerprintTables(reader) };
      } finally {
        await reader.query('COMMIT');
      }
    }),
  );
}
