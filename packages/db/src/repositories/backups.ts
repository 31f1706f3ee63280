import { rowsOf, type Queryable } from '../sql.js';

/** What a backup's manifest proves about the file written (the worker's `Manifest` holds more). */
export type BackupProof = { file: string; size: number; sha256: string; finishedAt: string | Date };

/**
 * The backups repository: the `backups` rows behind `GET /admin/backups`, written by the worker's backup and
 * verification jobs. Plain SQL on any `Queryable` (the worker's own pool too) rather than the Sequelize models,
 * whose classes bind to one connection per process while tests run several workers in one process.
 */
export type BackupRow = {
  id: string;
  file: string;
  status: 'running' | 'succeeded' | 'failed';
  sha256: string | null;
  location: string;
  finished_at: Date | null;
};

export async function startRecord(
  db: Queryable,
  file: string,
  startedAt: Date,
  id?: string,
): Promise<string> {
  if (id) {
    const { rowCount } = await db.query(
      `UPDATE backups SET file = $2, status = 'running', started_at = $3, finished_at = NULL, error = NULL,
              size = NULL, sha256 = NULL, manifest = NULL, updated_at = now() WHERE id = $1`,
      [id, file, startedAt],
    );
    if (rowCount) return id;
  }
  const rows = await rowsOf<{ id: string }>(
    db,
    `INSERT INTO backups (file, status, started_at) VALUES ($1, 'running', $2) RETURNING id`,
    [file, startedAt],
  );
  return rows[0]!.id;
}

export async function recordSuccess(
  db: Queryable,
  id: string,
  manifest: BackupProof,
  location: string,
): Promise<void> {
  await db.query(
    `UPDATE backups SET status = 'succeeded', size = $2, sha256 = $3, manifest = $4, location = $5,
            finished_at = $6, error = NULL, updated_at = now() WHERE id = $1`,
    [id, manifest.size, manifest.sha256, JSON.stringify(manifest), location, manifest.finishedAt],
  );
}

export async function recordFailure(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(
    `UPDATE backups SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1`,
    [id, error],
  );
}

/** Notes a problem after the dump itself succeeded (e.g. pruning old copies), without failing the backup. */
export async function recordWarning(db: Queryable, id: string, warning: string): Promise<void> {
  await db.query(`UPDATE backups SET error = $2, updated_at = now() WHERE id = $1`, [id, warning]);
}

export async function recordVerification(
  db: Queryable,
  id: string,
  error: string | undefined,
): Promise<void> {
  await db.query(
    `UPDATE backups SET verified_at = now(), verification_status = $2, verification_error = $3, updated_at = now()
      WHERE id = $1`,
    [id, error ? 'failed' : 'passed', error ?? null],
  );
}

/** The backup to verify: the one asked for, else the newest that succeeded. */
export async function findBackup(db: Queryable, id?: string): Promise<BackupRow | undefined> {
  const rows = await rowsOf<BackupRow>(
    db,
    id
      ? `SELECT id, file, status, sha256, location, finished_at FROM backups WHERE id = $1`
      : `SELECT id, file, status, sha256, location, finished_at FROM backups WHERE status = 'succeeded'
          ORDER BY started_at DESC LIMIT 1`,
    id ? [id] : [],
  );
  return rows[0];
}

/** When the last backup succeeded and how the last verification went, to seed the metrics after a restart. */
export async function backupState(
  db: Queryable,
): Promise<{ lastSuccess: Date | undefined; lastVerificationFailed: boolean }> {
  const rows = await rowsOf<{ at: Date | null; verification: string | null }>(
    db,
    `SELECT (SELECT max(finished_at) FROM backups WHERE status = 'succeeded') AS at,
            (SELECT verification_status FROM backups WHERE verified_at IS NOT NULL
              ORDER BY verified_at DESC LIMIT 1) AS verification`,
  );
  const row = rows[0];
  return {
    lastSuccess: row?.at ?? undefined,
    lastVerificationFailed: row?.verification === 'failed',
  };
}

/** Instance administrators: ADMIN_EMAILS plus users flagged in the database, without duplicates. */
export async function adminEmails(db: Queryable, configured: string[]): Promise<string[]> {
  const rows = await rowsOf<{ email: string }>(
    db,
    `SELECT email FROM users WHERE is_instance_admin ORDER BY email`,
  );
  return [...new Set([...configured, ...rows.map((r) => r.email.toLowerCase())])];
}

/**
 * In a database just restored from a dump, the dump's own row still says "running" (it was taken mid-backup):
 * mark it with what the manifest proves, and any other unfinished row as interrupted.
 */
export async function settleRestoredRecords(client: Queryable, manifest: BackupProof): Promise<void> {
  const rows = await rowsOf<{ present: boolean }>(
    client,
    `SELECT to_regclass('backups') IS NOT NULL AS present`,
  );
  if (!rows[0]?.present) return;
  await client.query(
    `UPDATE backups SET status = 'succeeded', size = $2, sha256 = $3, finished_at = $4
      WHERE file = $1 AND status = 'running'`,
    [manifest.file, manifest.size, manifest.sha256, manifest.finishedAt],
  );
  await client.query(
    `UPDATE backups SET status = 'failed', error = 'interrupted: the database was restored from a backup taken meanwhile'
      WHERE status = 'running'`,
  );
}

/** A backup record as the admin page lists it (the manifest stays internal). */
export type BackupRecord = {
  id: string;
  file: string;
  size: number | null;
  sha256: string | null;
  status: BackupRow['status'];
  location: string;
  startedAt: Date;
  finishedAt: Date | null;
  verifiedAt: Date | null;
  verificationStatus: string | null;
  error: string | null;
};

/** The latest `limit` backups, newest first. */
export async function latestBackups(db: Queryable, limit: number): Promise<BackupRecord[]> {
  const rows = await rowsOf(
    db,
    `SELECT id, file, size, sha256, status, location, started_at, finished_at, verified_at, verification_status,
            error FROM backups ORDER BY started_at DESC, id DESC LIMIT $1`,
    [limit],
  );
  return rows.map((row) => ({
    id: row.id as string,
    file: row.file as string,
    // bigint arrives as text; backups stay far below 2^53 bytes.
    size: row.size === null ? null : Number(row.size),
    sha256: row.sha256 as string | null,
    status: row.status as BackupRow['status'],
    location: row.location as string,
    startedAt: row.started_at as Date,
    finishedAt: row.finished_at as Date | null,
    verifiedAt: row.verified_at as Date | null,
    verificationStatus: row.verification_status as string | null,
    error: row.error as string | null,
  }));
}
