import {
  failTransfer,
  finishTransfer,
  inTransaction,
  memberIdsByEmail,
  startTransfer,
  transferById,
} from '@taskstack/db/repositories';
import { UnrecoverableError, type Job } from 'bullmq';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { describeIssues, exportDocument } from '../transfers/document.js';
import { progressReporter } from '../transfers/progress.js';
import { ImportError, ImportReport } from '../transfers/report.js';
import { IMPORTERS } from '../transfers/sources.js';
import { writeDocument } from '../transfers/write-document.js';
import type { TaskContext } from './context.js';

/**
 * The `import-workspace` job: reads the uploaded file (copied to a scratch disk first, since zips are read at random
 * offsets), turns it into a taskstack document with the source's importer, checks it, and writes it in ONE
 * transaction: a file that fails at any point — a bad row, a broken zip entry, the worker dying — leaves nothing in
 * the workspace (attachment files written meanwhile are deleted again). A rerun after a crash starts afresh, so it
 * never imports twice. A bad file fails the job with a reason the admin reads; the upload is deleted either way.
 */
export function importWorkspaceTask(ctx: TaskContext) {
  return async (job: Job<{ transferId: string }>) => {
    const transfer = await transferById(ctx.db, job.data.transferId);
    if (!transfer || transfer.kind !== 'import' || transfer.status === 'succeeded') return { skipped: true };
    if (!transfer.fileKey || !transfer.source || !transfer.createdBy) {
      await failTransfer(
        ctx.db,
        transfer.id,
        'The uploaded file is gone (it expired or the import was cancelled).',
      );
      return { skipped: true };
    }
    const { source, fileKey, createdBy } = transfer;
    await startTransfer(ctx.db, transfer.id, 'reading the file');
    const dir = await mkdtemp(join(ctx.config.TRANSFER_SCRATCH_DIR ?? tmpdir(), 'taskstack-import-'));
    const writtenKeys: string[] = [];
    const progress = progressReporter(ctx.db, job, transfer.id);
    let opened: Awaited<ReturnType<(typeof IMPORTERS)[typeof source]>> | undefined;
    try {
      const path = join(dir, 'upload');
      await pipeline(await ctx.files.read(fileKey), createWriteStream(path, { mode: 0o600 }));
      const report = new ImportReport();
      const members = await memberIdsByEmail(ctx.db, transfer.workspaceId);
      opened = await IMPORTERS[source]({
        path,
        fileName: transfer.fileName ?? 'upload',
        report,
        options: transfer.options,
        memberEmails: new Set(members.keys()),
      });
      const checked = exportDocument.safeParse(opened.document);
      if (!checked.success)
        throw new ImportError(`The file cannot be imported: ${describeIssues(checked.error)}`);
      const document = checked.data;
      const tasks = document.projects.reduce((n, p) => n + p.tasks.length, 0);
      if (tasks > ctx.config.IMPORT_MAX_TASKS) {
        throw new ImportError(
          `The file holds ${tasks} tasks; an import takes at most ${ctx.config.IMPORT_MAX_TASKS} (IMPORT_MAX_TASKS).`,
        );
      }
      await progress(20, 'writing');
      const source_ = opened;
      await inTransaction(ctx.db, (db) =>
        writeDocument(document, {
          db,
          workspaceId: transfer.workspaceId,
          importerId: createdBy,
          report,
          openFile: source_.openFile,
          files: ctx.files,
          writtenKeys,
          progress: (fraction, phase) => progress(20 + 75 * fraction, phase),
        }),
      );
      await progress(99, 'committed');
      await finishTransfer(ctx.db, transfer.id, { report: report.toJSON(), fileKey: null, expiresAt: null });
      ctx.logger.info(
        { transferId: transfer.id, source, created: report.toJSON().created },
        'workspace imported',
      );
      return report.toJSON().created;
    } catch (error) {
      // Nothing was committed; the files written for its attachments go too.
      await Promise.allSettled(writtenKeys.map((key) => ctx.files.remove(key)));
      const bad = error instanceof ImportError;
      await failTransfer(
        ctx.db,
        transfer.id,
        bad ? (error as Error).message : `The import failed: ${(error as Error).message}`,
      );
      throw bad ? new UnrecoverableError((error as Error).message) : error;
    } finally {
      opened?.close();
      await ctx.files.remove(fileKey).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  };
}
