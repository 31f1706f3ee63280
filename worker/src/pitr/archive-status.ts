import type pg from 'pg';

export type ArchiveStatus = {
  /** When the server last archived a WAL segment: the recovery point while everything since is archived. */
  lastArchivedAt: Date | undefined;
  /**
   * Seconds the oldest unarchived WAL has waited: 0 when nothing was written after the last archived segment (an
   * idle server switches no segments, so the age of the last one alone would be a false alarm), else the time
   * since the last archived segment.
   */
  lagSeconds: number;
  /** The archiver's last attempt failed (pg_stat_archiver: last failure after last success). */
  failing: boolean;
};

/**
 * The live server's archiving state from pg_stat_archiver. The segment after the last archived one starts at a
 * computable LSN; WAL inserted beyond its page header (40 bytes) is data not yet in the repository.
 */
export async function archiveStatus(db: pg.Pool | pg.Client): Promise<ArchiveStatus> {
  const { rows } = await db.query<{ at: Date | null; failing: boolean; unarchived: string | null }>(
    `WITH a AS (SELECT last_archived_wal AS wal, last_archived_time, last_failed_time FROM pg_stat_archiver),
          s AS (SELECT setting::bigint AS bytes FROM pg_settings WHERE name = 'wal_segment_size')
     SELECT a.last_archived_time AS at,
            coalesce(a.last_failed_time > a.last_archived_time, a.last_failed_time IS NOT NULL) AS failing,
            pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0'::pg_lsn)
              - (('x' || substr(a.wal, 9, 8))::bit(32)::bigint * 4294967296
                 + (('x' || substr(a.wal, 17, 8))::bit(32)::bigint + 1) * s.bytes) AS unarchived
       FROM a, s`,
  );
  const row = rows[0];
  const at = row?.at ?? undefined;
  const unarchived = Number(row?.unarchived ?? Infinity);
  const lagSeconds = !at ? 0 : unarchived > 40 ? Math.max(0, (Date.now() - at.getTime()) / 1000) : 0;
  return { lastArchivedAt: at, lagSeconds, failing: row?.failing ?? false };
}
