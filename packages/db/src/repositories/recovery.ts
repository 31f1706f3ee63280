import { rowsOf, type Queryable } from '../sql.js';

/**
 * The recovery repository: the journal the worker writes every few minutes (what each table held at a moment, and
 * from when the repository could restore) and the nightly restore drills that check a restore against it. Plain SQL
 * on any `Queryable`, like the backups repository.
 */

/** Row count and checksum of one table at the journal's moment; the checksum is a decimal string (a numeric sum). */
export type TableFingerprint = { rows: number; checksum: string };

export type JournalEntry = {
  id: string;
  recordedAt: Date;
  /** `recordedAt` to the microsecond (ISO 8601, UTC): a restore target must be the exact moment. */
  recordedAtExact: string;
  tables: Record<string, TableFingerprint>;
  /** End of the oldest pgBackRest backup kept when the entry was written: the oldest moment a restore reaches. */
  windowStart: Date | null;
};

type JournalRow = {
  id: string;
  recorded_at: Date;
  exact: string;
  tables: JournalEntry['tables'];
  window_start: Date | null;
};
const JOURNAL_COLUMNS = `id, recorded_at, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS exact,
  tables, window_start`;
const entry = (r: JournalRow): JournalEntry => ({
  id: r.id,
  recordedAt: r.recorded_at,
  recordedAtExact: r.exact,
  tables: r.tables,
  windowStart: r.window_start,
});

/** `recordedAt` is an ISO time to the microsecond, as the database gave it. */
export async function recordJournalEntry(
  db: Queryable,
  recordedAt: string,
  tables: JournalEntry['tables'],
  windowStart: Date | undefined,
): Promise<string> {
  const rows = await rowsOf<{ id: string }>(
    db,
    `INSERT INTO recovery_journal (recorded_at, tables, window_start) VALUES ($1, $2, $3) RETURNING id`,
    [recordedAt, JSON.stringify(tables), windowStart ?? null],
  );
  return rows[0]!.id;
}

/** Drops entries older than `before` (the journal only needs to cover the restorable window). */
export async function pruneJournal(db: Queryable, before: Date): Promise<number> {
  const { rowCount } = await db.query(`DELETE FROM recovery_journal WHERE recorded_at < $1`, [before]);
  return rowCount ?? 0;
}

/** A random entry recorded within [from, to], or undefined when there is none. */
export async function randomJournalEntry(
  db: Queryable,
  from: Date,
  to: Date,
): Promise<JournalEntry | undefined> {
  const rows = await rowsOf<JournalRow>(
    db,
    `SELECT ${JOURNAL_COLUMNS} FROM recovery_journal
      WHERE recorded_at BETWEEN $1 AND $2 ORDER BY random() LIMIT 1`,
    [from, to],
  );
  return rows[0] && entry(rows[0]);
}

/** The newest entry: its `windowStart` is the oldest restorable moment as last seen. */
export async function latestJournalEntry(db: Queryable): Promise<JournalEntry | undefined> {
  const rows = await rowsOf<JournalRow>(
    db,
    `SELECT ${JOURNAL_COLUMNS} FROM recovery_journal ORDER BY recorded_at DESC LIMIT 1`,
  );
  return rows[0] && entry(rows[0]);
}

export type DrillStatus = 'running' | 'passed' | 'failed';
export type Drill = {
  id: string;
  status: DrillStatus;
  targetTime: Date | null;
  journalId: string | null;
  problems: string[];
  details: Record<string, unknown> | null;
  startedAt: Date;
  finishedAt: Date | null;
};

export async function startDrill(db: Queryable): Promise<string> {
  const rows = await rowsOf<{ id: string }>(
    db,
    `INSERT INTO restore_drills (status) VALUES ('running') RETURNING id`,
  );
  return rows[0]!.id;
}

export async function finishDrill(
  db: Queryable,
  id: string,
  result: {
    problems: string[];
    targetTime?: Date;
    journalId?: string;
    details: Record<string, unknown>;
  },
): Promise<void> {
  await db.query(
    `UPDATE restore_drills SET status = $2, problems = $3, target_time = $4, journal_id = $5, details = $6,
            finished_at = now() WHERE id = $1`,
    [
      id,
      result.problems.length ? 'failed' : 'passed',
      JSON.stringify(result.problems),
      result.targetTime ?? null,
      result.journalId ?? null,
      JSON.stringify(result.details),
    ],
  );
}

/** The newest finished drill (a running one is not a result yet). */
export async function lastDrill(db: Queryable): Promise<Drill | undefined> {
  const rows = await rowsOf<{
    id: string;
    status: DrillStatus;
    target_time: Date | null;
    journal_id: string | null;
    problems: string[];
    details: Record<string, unknown> | null;
    started_at: Date;
    finished_at: Date | null;
  }>(
    db,
    `SELECT id, status, target_time, journal_id, problems, details, started_at, finished_at FROM restore_drills
      WHERE status <> 'running' ORDER BY finished_at DESC LIMIT 1`,
  );
  const r = rows[0];
  return (
    r && {
      id: r.id,
      status: r.status,
      targetTime: r.target_time,
      journalId: r.journal_id,
      problems: r.problems,
      details: r.details,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
    }
  );
}

export type RecoveryStatus = {
  /** The server archives WAL (archive_mode on): point-in-time recovery is configured. */
  archiving: boolean;
  /** The newest restorable moment: when the server last archived a WAL segment. */
  recoveryPoint: Date | null;
  /** The archiver's last attempt failed. */
  archiveFailing: boolean;
  /** The oldest restorable moment, as the newest journal entry saw the repository. */
  windowStart: Date | null;
  lastDrill: Drill | undefined;
};

/** What the admin screen shows of point-in-time recovery, read from the server's archiver and the worker's records. */
export async function recoveryStatus(db: Queryable): Promise<RecoveryStatus> {
  const rows = await rowsOf<{
    archiving: boolean;
    at: Date | null;
    failing: boolean;
    window_start: Date | null;
  }>(
    db,
    `SELECT current_setting('archive_mode') <> 'off' AS archiving, a.last_archived_time AS at,
            coalesce(a.last_failed_time > a.last_archived_time, a.last_failed_time IS NOT NULL) AS failing,
            (SELECT window_start FROM recovery_journal ORDER BY recorded_at DESC LIMIT 1) AS window_start
       FROM pg_stat_archiver a`,
  );
  const row = rows[0]!;
  return {
    archiving: row.archiving,
    recoveryPoint: row.at,
    archiveFailing: row.failing,
    windowStart: row.window_start,
    lastDrill: await lastDrill(db),
  };
}
