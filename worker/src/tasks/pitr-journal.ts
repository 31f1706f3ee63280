import { pruneJournal, recordJournalEntry } from '@taskstack/db/repositories';
import { UnrecoverableError } from 'bullmq';
import { JournalBusyError, takeJournalEntry } from '../pitr/journal.js';
import { info } from '../pitr/pgbackrest.js';
import type { TaskContext } from './context.js';
import { pgbackrestFrom } from './pitr-backup.js';

/**
 * The `pitr-journal` job, every few minutes: writes what every table holds at this moment (row count and
 * checksum) and the oldest moment the repository can restore, and drops entries older than the retention. Busy
 * tables skip one entry; the next comes minutes later.
 */
export function pitrJournalTask(ctx: TaskContext) {
  return async (): Promise<{ recordedAt: string; tables: number } | { skipped: string }> => {
    const pb = pgbackrestFrom(ctx.config);
    if (!pb) throw new UnrecoverableError('PITR_STANZA is not set: no point-in-time recovery to journal for');
    let moment: Awaited<ReturnType<typeof takeJournalEntry>>;
    try {
      moment = await takeJournalEntry(ctx.config.DATABASE_URL);
    } catch (error) {
      if (!(error instanceof JournalBusyError)) throw error;
      ctx.logger.info({ reason: error.message }, 'journal entry skipped');
      return { skipped: error.message };
    }
    const windowStart = await info(pb).then(
      (repo) => repo.backups[0]?.stoppedAt,
      (error: Error) => {
        ctx.metrics.pitrFailures.inc({ operation: 'status' });
        ctx.logger.warn({ err: error.message }, 'pgbackrest info failed; journal entry without a window');
        return undefined;
      },
    );
    await recordJournalEntry(ctx.db, moment.at, moment.tables, windowStart);
    await pruneJournal(ctx.db, new Date(Date.now() - ctx.config.PITR_RETENTION_DAYS * 86_400_000));
    return { recordedAt: moment.at, tables: Object.keys(moment.tables).length };
  };
}
