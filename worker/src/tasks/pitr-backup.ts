import { backupJobs } from '@taskstack/queues';
import { UnrecoverableError, type Job } from 'bullmq';
import { backup, ensureStanza, type Pgbackrest } from '../pitr/pgbackrest.js';
import type { WorkerConfig } from '../config.js';
import { alertAdmins } from './backup.js';
import type { TaskContext } from './context.js';

/** The worker's view of the server's pgBackRest stanza, or undefined when point-in-time recovery is off. */
export function pgbackrestFrom(
  config: Pick<WorkerConfig, 'DATABASE_URL' | 'PITR_STANZA' | 'PITR_RETENTION_DAYS'>,
): Pgbackrest | undefined {
  if (!config.PITR_STANZA) return undefined;
  return {
    databaseUrl: config.DATABASE_URL,
    stanza: config.PITR_STANZA,
    retentionDays: config.PITR_RETENTION_DAYS,
  };
}

/**
 * The `pitr-backup` job: a full or differential pgBackRest backup (creating the stanza on first use), then expiry
 * by PITR_RETENTION_DAYS. The last failed attempt emails the admins, like a failed pg_dump backup.
 */
export function pitrBackupTask(ctx: TaskContext) {
  return async (job: Job): Promise<{ label: string; type: string }> => {
    const parsed = backupJobs['pitr-backup'].safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid pitr-backup payload: ${parsed.error.message}`);
    const pb = pgbackrestFrom(ctx.config);
    if (!pb) throw new UnrecoverableError('PITR_STANZA is not set: the database server does not archive WAL');
    try {
      await ensureStanza(pb);
      const set = await backup(pb, parsed.data.type);
      ctx.metrics.pitrLastBackup.set(set.stoppedAt.getTime() / 1000);
      ctx.logger.info({ label: set.label, type: set.type, size: set.size }, 'pgbackrest backup succeeded');
      return { label: set.label, type: set.type };
    } catch (error) {
      ctx.metrics.pitrFailures.inc({ operation: 'backup' });
      const message = `pgbackrest ${parsed.data.type} backup failed: ${(error as Error).message}`;
      ctx.logger.error({ err: message }, 'pgbackrest backup failed');
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
        await alertAdmins(ctx, `pitr-${job.id ?? 'job'}-${job.attemptsMade}`, `stanza ${pb.stanza}`, message);
      throw error;
    }
  };
}
