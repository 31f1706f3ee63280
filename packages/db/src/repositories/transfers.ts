import { rowsOf, type Queryable, type Row } from '../sql.js';

export type TransferKind = 'export' | 'import';
export type TransferSource = 'taskstack' | 'trello' | 'csv' | 'vikunja' | 'planka';
export type TransferStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/** What an import left out, one line per kind of thing and reason, with how many and a few examples. */
export type SkippedItem = { what: string; reason: string; count: number; examples: string[] };
export type TransferReport = {
  created: Record<string, number>;
  skipped: SkippedItem[];
  /** People the file names whom no member's email matches: reported, never invented. */
  unknownPeople: string[];
};

/** An import or export job of a workspace, as the API shows it and the worker drives it. */
export type TransferRecord = {
  id: string;
  workspaceId: string;
  kind: TransferKind;
  source: TransferSource | null;
  status: TransferStatus;
  progress: number;
  phase: string;
  options: Record<string, unknown>;
  fileKey: string | null;
  fileName: string | null;
  fileSize: number | null;
  report: TransferReport | null;
  error: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  expiresAt: Date | null;
};

const COLUMNS = `id, workspace_id, kind, source, status, progress, phase, options, file_key, file_name, file_size,
  report, error, created_by, created_at, started_at, finished_at, expires_at`;

const fromRow = (row: Row): TransferRecord => ({
  id: row.id as string,
  workspaceId: row.workspace_id as string,
  kind: row.kind as TransferKind,
  source: row.source as TransferSource | null,
  status: row.status as TransferStatus,
  progress: row.progress as number,
  phase: row.phase as string,
  options: row.options as Record<string, unknown>,
  fileKey: row.file_key as string | null,
  fileName: row.file_name as string | null,
  // bigint arrives as text; files are far below 2^53 bytes.
  fileSize: row.file_size === null ? null : Number(row.file_size),
  report: row.report as TransferReport | null,
  error: row.error as string | null,
  createdBy: row.created_by as string | null,
  createdAt: row.created_at as Date,
  startedAt: row.started_at as Date | null,
  finishedAt: row.finished_at as Date | null,
  expiresAt: row.expires_at as Date | null,
});

/** A new queued job; an import names its uploaded file, which the worker reads and deletes when done. */
export async function insertTransfer(
  db: Queryable,
  input: {
    id: string;
    workspaceId: string;
    kind: TransferKind;
    source?: TransferSource;
    options?: Record<string, unknown>;
    fileKey?: string;
    fileName?: string;
    fileSize?: number;
    expiresAt?: Date;
    createdBy: string;
  },
): Promise<TransferRecord> {
  const [row] = await rowsOf(
    db,
    `INSERT INTO workspace_transfers
       (id, workspace_id, kind, source, options, file_key, file_name, file_size, expires_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
    [
      input.id,
      input.workspaceId,
      input.kind,
      input.source ?? null,
      JSON.stringify(input.options ?? {}),
      input.fileKey ?? null,
      input.fileName ?? null,
      input.fileSize ?? null,
      input.expiresAt ?? null,
      input.createdBy,
    ],
  );
  return fromRow(row!);
}

/** The workspace's latest jobs, newest first. */
export async function findTransfers(
  db: Queryable,
  workspaceId: string,
  limit = 20,
): Promise<TransferRecord[]> {
  const rows = await rowsOf(
    db,
    `SELECT ${COLUMNS} FROM workspace_transfers WHERE workspace_id = $1
     ORDER BY created_at DESC, id DESC LIMIT $2`,
    [workspaceId, limit],
  );
  return rows.map(fromRow);
}

/** One job of the workspace (undefined for another workspace's: the caller answers 404). */
export async function findTransfer(
  db: Queryable,
  workspaceId: string,
  id: string,
): Promise<TransferRecord | undefined> {
  const [row] = await rowsOf(
    db,
    `SELECT ${COLUMNS} FROM workspace_transfers WHERE workspace_id = $1 AND id = $2`,
    [workspaceId, id],
  );
  return row ? fromRow(row) : undefined;
}

/** The job the worker was handed, by id alone. */
export async function transferById(db: Queryable, id: string): Promise<TransferRecord | undefined> {
  const [row] = await rowsOf(db, `SELECT ${COLUMNS} FROM workspace_transfers WHERE id = $1`, [id]);
  return row ? fromRow(row) : undefined;
}

/** Jobs of a kind still queued or running in the workspace: one import at a time keeps two from interleaving. */
export async function countUnfinishedTransfers(
  db: Queryable,
  workspaceId: string,
  kind: TransferKind,
): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM workspace_transfers
     WHERE workspace_id = $1 AND kind = $2 AND status IN ('queued', 'running')`,
    [workspaceId, kind],
  );
  return row!.n;
}

/** Marks the job running (again, after a crashed attempt) from progress 0. */
export async function startTransfer(db: Queryable, id: string, phase: string): Promise<void> {
  await db.query(
    `UPDATE workspace_transfers SET status = 'running', progress = 0, phase = $2, error = NULL,
       started_at = now() WHERE id = $1`,
    [id, phase],
  );
}

/** Progress as the web app shows it; never moves a finished job. */
export async function reportTransferProgress(
  db: Queryable,
  id: string,
  progress: number,
  phase: string,
): Promise<void> {
  await db.query(
    `UPDATE workspace_transfers SET progress = $2, phase = $3 WHERE id = $1 AND status = 'running'`,
    [id, Math.max(0, Math.min(100, Math.round(progress))), phase],
  );
}

/** A finished job: an export names its zip (until `expiresAt`), an import its report and no file any more. */
export async function finishTransfer(
  db: Queryable,
  id: string,
  outcome: {
    report?: TransferReport;
    fileKey: string | null;
    fileName?: string | null;
    fileSize?: number | null;
    expiresAt: Date | null;
  },
): Promise<void> {
  await db.query(
    `UPDATE workspace_transfers SET status = 'succeeded', progress = 100, phase = 'done', report = $2,
       file_key = $3, file_name = COALESCE($4, file_name), file_size = COALESCE($5, file_size), expires_at = $6,
       finished_at = now()
     WHERE id = $1`,
    [
      id,
      outcome.report ? JSON.stringify(outcome.report) : null,
      outcome.fileKey,
      outcome.fileName ?? null,
      outcome.fileSize ?? null,
      outcome.expiresAt,
    ],
  );
}

/** A failed job with the reason an admin reads; an import's upload is dropped with it (`fileKey` null). */
export async function failTransfer(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(
    `UPDATE workspace_transfers SET status = 'failed', phase = 'failed', error = $2, file_key = NULL,
       finished_at = now() WHERE id = $1`,
    [id, error.slice(0, 2000)],
  );
}

/** Files past their expiry (export zips, uploads of imports that never ran), oldest first. */
export async function expiredTransferFiles(
  db: Queryable,
  now: Date,
  limit = 200,
): Promise<{ id: string; fileKey: string }[]> {
  const rows = await rowsOf<{ id: string; file_key: string }>(
    db,
    `SELECT id, file_key FROM workspace_transfers WHERE file_key IS NOT NULL AND expires_at <= $1
     ORDER BY expires_at LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => ({ id: r.id, fileKey: r.file_key }));
}

/** Forgets a deleted file; a job still queued with it fails, as there is nothing left to import. */
export async function clearTransferFile(db: Queryable, id: string): Promise<void> {
  await db.query(
    `UPDATE workspace_transfers SET file_key = NULL,
       status = CASE WHEN status IN ('queued', 'running') THEN 'failed' ELSE status END,
       error = CASE WHEN status IN ('queued', 'running') THEN 'The uploaded file expired before the import ran.'
                    ELSE error END
     WHERE id = $1`,
    [id],
  );
}
