import {
  countUnfinishedTransfers,
  insertTransfer,
  isUniqueViolation,
  type TransferRecord,
} from '@taskstack/db/repositories';
import type { CsvColumnMapping } from '@taskstack/queues';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context.js';
import { badRequest, conflict } from '../../errors.js';
import type { AttachmentStorage } from '../../storage/index.js';
import type { IncomingFile } from '../attachments.js';
import type { ImportQuery } from './schema.js';

/** An upload whose import never ran is deleted by the worker after this long. */
const UPLOAD_LIFETIME_MS = 24 * 3600_000;

const busy = (kind: string) =>
  conflict(`An ${kind} of this workspace is already queued or running; wait for it to finish.`);

/**
 * One export or import at a time per workspace: two imports at once would interleave their projects. Checked before
 * an upload is read, and held by a unique index when the row is written (two requests racing: one gets the 409).
 */
async function assertNoneRunning(ctx: AppContext, workspaceId: string, kind: 'export' | 'import') {
  if ((await countUnfinishedTransfers(ctx.sql, workspaceId, kind)) > 0) throw busy(kind);
}

async function insertOrConflict(
  kind: string,
  insert: () => Promise<TransferRecord>,
): Promise<TransferRecord> {
  try {
    return await insert();
  } catch (error) {
    if (isUniqueViolation(error)) throw busy(kind);
    throw error;
  }
}

/** Queues an export of the workspace. */
export async function startExport(
  ctx: AppContext,
  workspaceId: string,
  userId: string,
): Promise<TransferRecord> {
  await assertNoneRunning(ctx, workspaceId, 'export');
  const transfer = await insertOrConflict('export', () =>
    insertTransfer(ctx.sql, { id: randomUUID(), workspaceId, kind: 'export', createdBy: userId }),
  );
  await ctx.transfers.start('export', transfer.id);
  return transfer;
}

/** The CSV mapping from the query, or a 400 when a CSV import names no title column. */
export function csvMapping(query: ImportQuery): CsvColumnMapping | undefined {
  if (query.source !== 'csv') return undefined;
  if (!query.titleColumn)
    throw badRequest('A CSV import needs titleColumn: the header of the column with the titles.');
  const entries = {
    title: query.titleColumn,
    description: query.descriptionColumn,
    status: query.statusColumn,
    priority: query.priorityColumn,
    dueAt: query.dueAtColumn,
    assignee: query.assigneeColumn,
    labels: query.labelsColumn,
    project: query.projectColumn,
  };
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as CsvColumnMapping;
}

/**
 * Stores the uploaded file where attachments are stored (streamed: never whole in memory) and queues its import.
 * The file is checked by the worker, which fails the job with a readable reason when it is not what `source` says.
 */
export async function startImport(
  ctx: AppContext,
  storage: AttachmentStorage,
  workspaceId: string,
  userId: string,
  query: ImportQuery,
  file: IncomingFile,
): Promise<TransferRecord> {
  const mapping = csvMapping(query);
  await assertNoneRunning(ctx, workspaceId, 'import');
  const id = randomUUID();
  const fileKey = `${workspaceId}/${id}/${randomUUID()}`;
  await storage.put(fileKey, file.body, file.contentType);
  try {
    const size = file.size();
    if (size === 0) throw badRequest('The file is empty.');
    const transfer = await insertOrConflict('import', () =>
      insertTransfer(ctx.sql, {
        id,
        workspaceId,
        kind: 'import',
        source: query.source,
        options: mapping ? { mapping } : {},
        fileKey,
        fileName: file.filename,
        fileSize: size,
        expiresAt: new Date(Date.now() + UPLOAD_LIFETIME_MS),
        createdBy: userId,
      }),
    );
    await ctx.transfers.start('import', transfer.id);
    return transfer;
  } catch (error) {
    await storage.remove(fileKey).catch(() => {});
    throw error;
  }
}
