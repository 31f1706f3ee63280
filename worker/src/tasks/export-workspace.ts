import {
  failTransfer,
  finishTransfer,
  readWorkspaceSnapshot,
  startTransfer,
  transferById,
} from '@taskstack/db/repositories';
import { stringify } from 'csv-stringify/sync';
import type { Job } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CSV_COLUMNS, buildExportDocument, csvRows } from '../transfers/export-document.js';
import { DOCUMENT_NAME } from '../transfers/importers/taskstack.js';
import { progressReporter } from '../transfers/progress.js';
import { ImportReport } from '../transfers/report.js';
import { writeZip } from '../transfers/zip.js';
import type { TaskContext } from './context.js';

/** The export's CSV, for spreadsheets: one row per task. */
export const CSV_NAME = 'tasks.csv';

/**
 * The `export-workspace` job: reads the workspace, writes `workspace.json` (re-importable), `tasks.csv` and every
 * attachment under `attachments/` into a zip on a scratch disk, then stores the zip where attachments are stored,
 * downloadable until EXPORT_RETENTION_HOURS have passed. Progress goes to the job's row as it goes.
 */
export function exportWorkspaceTask(ctx: TaskContext) {
  return async (job: Job<{ transferId: string }>) => {
    const transfer = await transferById(ctx.db, job.data.transferId);
    if (!transfer || transfer.kind !== 'export' || transfer.status === 'succeeded') return { skipped: true };
    await startTransfer(ctx.db, transfer.id, 'reading the workspace');
    const progress = progressReporter(ctx.db, job, transfer.id);
    const dir = await mkdtemp(join(ctx.config.TRANSFER_SCRATCH_DIR ?? tmpdir(), 'taskstack-export-'));
    try {
      const now = new Date();
      const snapshot = await readWorkspaceSnapshot(ctx.db, transfer.workspaceId);
      const { document, files } = buildExportDocument(snapshot, now);
      const report = new ImportReport();
      await progress(10, 'writing the zip');
      const csv = stringify(csvRows(document), { header: true, columns: [...CSV_COLUMNS], bom: true });
      let written = 0;
      const zipPath = join(dir, 'export.zip');
      await writeZip(
        zipPath,
        {
          buffers: [
            { name: DOCUMENT_NAME, data: Buffer.from(JSON.stringify(document, null, 2)) },
            { name: CSV_NAME, data: Buffer.from(csv) },
          ],
          streams: files.map((file) => ({
            name: file.path,
            // A stored file that has gone missing is written empty and reported, rather than failing the export.
            open: () =>
              ctx.files.read(file.storageKey).catch(() => {
                report.skip('attachment', 'its stored file is missing; written empty', file.path);
                return Readable.from([]);
              }),
          })),
        },
        () => {
          written += 1;
          if (written % 10 === 0 || written === files.length) {
            const fraction = written / Math.max(files.length, 1);
            void progress(10 + 80 * fraction, `files ${written}/${files.length}`);
          }
        },
      );
      await progress(92, 'storing the zip');
      const fileKey = `${transfer.workspaceId}/${transfer.id}/${randomUUID()}`;
      const { size } = await stat(zipPath);
      await ctx.files.write(fileKey, createReadStream(zipPath), 'application/zip');
      const counts = {
        projects: document.projects.length,
        tasks: document.projects.reduce((n, p) => n + p.tasks.length, 0),
        attachments: files.length,
      };
      const day = now.toISOString().slice(0, 10);
      const fileName = `${document.workspace.name.replace(/[^\p{L}\p{N}_-]+/gu, '-') || 'workspace'}-${day}.zip`;
      await progress(99, 'storing the zip');
      await finishTransfer(ctx.db, transfer.id, {
        report: { ...report.toJSON(), created: counts },
        fileKey,
        fileName,
        fileSize: size,
        expiresAt: new Date(now.getTime() + ctx.config.EXPORT_RETENTION_HOURS * 3600_000),
      });
      ctx.logger.info({ transferId: transfer.id, ...counts, size }, 'workspace exported');
      return counts;
    } catch (error) {
      await failTransfer(ctx.db, transfer.id, `The export failed: ${(error as Error).message}`);
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
