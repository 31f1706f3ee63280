import { backupJobs } from '@taskstack/queues';
import { UnrecoverableError, type Job } from 'bullmq';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dumpDatabase } from '../backup/dump.js';
import type { Manifest } from '../backup/manifest.js';
import { removeAbandonedTemps } from '../backup/local-store.js';
import { backupFileName } from '../backup/names.js';
import { databaseName } from '../backup/pg-tools.js';
import { pruneBackups } from '../backup/prune.js';
import {
  adminEmails,
  recordFailure,
  recordSuccess,
  recordWarning,
  startRecord,
} from '@taskstack/db/repositories';
import type { TaskContext } from './context.js';

/** Emails every instance admin once per failed attempt that will not be retried. */
export async function alertAdmins(ctx: TaskContext, key: string, file: string, error: string): Promise<void> {
  const to = await adminEmails(ctx.db, ctx.config.ADMIN_EMAILS);
  if (to.length === 0) {
    ctx.logger.error({ file }, 'backup problem and no instance admin to email');
    return;
  }
  await ctx.emails.send('backup-failed', { to, file, error }, `backup-failed-${key}`);
}

/**
 * The `backup` job: dump, copy off-site, record, prune. Its row is reused across attempts (the id is kept in the
 * job data), so a retried or crash-recovered backup shows once in `GET /admin/backups`. The backups queue runs
 * one job at a time across all workers, so this never overlaps another backup or a verification.
 */
export function backupTask(ctx: TaskContext) {
  return async (job: Job): Promise<{ file: string; size: number }> => {
    const parsed = backupJobs.backup.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid backup payload: ${parsed.error.message}`);
    const { config, db, s3, metrics, logger } = ctx;
    const abandoned = await removeAbandonedTemps(config.BACKUP_DIR);
    if (abandoned.length > 0)
      logger.warn({ abandoned }, 'removed unfinished backup files of a stopped worker');
    const now = await unusedSecond(config.BACKUP_DIR, databaseName(config.DATABASE_URL));
    const file = backupFileName(databaseName(config.DATABASE_URL), now);
    const id = await startRecord(db, file, now, parsed.data.backupId);
    if (id !== parsed.data.backupId) await job.updateData({ ...parsed.data, backupId: id });
    let stage = 'dump';
    let manifest: Manifest;
    try {
      ({ manifest } = await dumpDatabase(config.DATABASE_URL, config.BACKUP_DIR, now));
      stage = 'copy to S3';
      const location = s3 ? `local+s3://${s3.bucket}/${await s3.upload(config.BACKUP_DIR, file)}` : 'local';
      await recordSuccess(db, id, manifest, location);
      metrics.lastBackup.set(Date.parse(manifest.finishedAt) / 1000);
      logger.info(
        { file, size: manifest.size, durationMs: manifest.durationMs, location },
        'backup succeeded',
      );
    } catch (error) {
      const message = `${stage} failed: ${(error as Error).message}`;
      await recordFailure(db, id, message);
      metrics.backupFailures.inc();
      logger.error({ file, err: message }, 'backup failed');
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
        await alertAdmins(ctx, `${id}-${job.attemptsMade}`, file, message);
      throw error;
    }
    await prune(ctx, id);
    return { file, size: manifest.size };
  };
}

/** Backup names have one-second resolution: a backup right after another waits for the next second. */
async function unusedSecond(dir: string, database: string): Promise<Date> {
  for (;;) {
    const now = new Date();
    if (!existsSync(join(dir, backupFileName(database, now)))) return now;
    await new Promise((resolve) => setTimeout(resolve, 1000 - now.getUTCMilliseconds()));
  }
}

/** Retention runs after each success; a failure to prune is recorded on the backup but does not undo it. */
async function prune(ctx: TaskContext, id: string): Promise<void> {
  const { config } = ctx;
  try {
    const removed = await pruneBackups(
      config.BACKUP_DIR,
      {
        daily: config.BACKUP_KEEP_DAILY,
        weekly: config.BACKUP_KEEP_WEEKLY,
        monthly: config.BACKUP_KEEP_MONTHLY,
      },
      ctx.s3,
    );
    if (removed.local.length + removed.remote.length > 0) ctx.logger.info(removed, 'pruned old backups');
  } catch (error) {
    ctx.logger.error({ err: error }, 'pruning old backups failed');
    await recordWarning(ctx.db, id, `retention failed: ${(error as Error).message}`);
  }
}
