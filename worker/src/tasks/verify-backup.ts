import { backupJobs } from '@taskstack/queues';
import { UnrecoverableError, type Job } from 'bullmq';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { dropDatabase } from '../backup/databases.js';
import { utcStamp } from '../backup/names.js';
import { databaseName } from '../backup/pg-tools.js';
import { findBackup, recordVerification } from '@taskstack/db/repositories';
import { restoreIntoNewDatabase } from '../backup/restore.js';
import { alertAdmins } from './backup.js';
import type { TaskContext } from './context.js';

/**
 * The `verify-backup` job: restores the newest (or the given) backup into a scratch database, compares row counts
 * with its manifest, records the outcome on the backup's row and drops the scratch database. A backup no longer
 * on disk is fetched from S3. A failed check emails the admins: an unrestorable backup is no backup.
 */
export function verifyBackupTask(ctx: TaskContext) {
  return async (job: Job): Promise<{ backupId: string; ok: boolean } | { skipped: string }> => {
    const parsed = backupJobs['verify-backup'].safeParse(job.data);
    if (!parsed.success)
      throw new UnrecoverableError(`invalid verify-backup payload: ${parsed.error.message}`);
    const { config, db, s3, metrics, logger } = ctx;
    const backup = await findBackup(db, parsed.data.backupId);
    if (!backup || backup.status !== 'succeeded') return { skipped: 'no succeeded backup to verify' };
    let path = join(config.BACKUP_DIR, backup.file);
    let fetched: string | undefined;
    if (!existsSync(path) && s3) {
      fetched = join(config.BACKUP_DIR, '.verify');
      path = await s3.download(backup.file, fetched);
    }
    const scratch = `${databaseName(config.DATABASE_URL)}_verify_${utcStamp(new Date()).toLowerCase()}`;
    let problem: string | undefined;
    try {
      await restoreIntoNewDatabase(config.DATABASE_URL, path, scratch);
    } catch (error) {
      problem = (error as Error).message;
    } finally {
      await dropDatabase(config.DATABASE_URL, scratch);
      if (fetched) await rm(fetched, { recursive: true, force: true });
    }
    await recordVerification(db, backup.id, problem);
    metrics.verificationFailed.set(problem ? 1 : 0);
    if (problem) {
      logger.error({ file: backup.file, err: problem }, 'backup verification failed');
      await alertAdmins(
        ctx,
        `verify-${backup.id}-${job.id ?? 'job'}`,
        backup.file,
        `verification failed: ${problem}`,
      );
    } else {
      logger.info({ file: backup.file }, 'backup verified by a test restore');
    }
    return { backupId: backup.id, ok: !problem };
  };
}
