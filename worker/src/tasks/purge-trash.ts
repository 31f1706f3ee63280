import { deleteExpiredTrash, lockExpiredTrash } from '@taskstack/db/repositories';
import type { Job } from 'bullmq';
import type { TaskContext } from './context.js';

/** Items of each kind purged per transaction: a long trash goes in several short transactions, not one long one. */
export const PURGE_BATCH = 200;

/**
 * The `purge-trash` job: deletes trashed projects, tasks and comments older than their workspace's retention, and
 * their attachments' files. Each batch locks its rows, removes the files, deletes the rows and commits: a restore
 * meanwhile waits and then finds nothing, and a crash after the files leaves rows whose files are already gone,
 * which the next run deletes (removing a missing file is no error). Running it twice purges nothing more.
 */
export function purgeTrashTask(ctx: TaskContext) {
  return async (_job: Job): Promise<{ projects: number; tasks: number; comments: number; files: number }> => {
    const total = { projects: 0, tasks: 0, comments: 0, files: 0 };
    for (;;) {
      const client = await ctx.db.connect();
      let batch;
      try {
        await client.query('BEGIN');
        batch = await lockExpiredTrash(client, PURGE_BATCH);
        for (const key of batch.storageKeys) await ctx.files.remove(key);
        await deleteExpiredTrash(client, batch);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
      total.projects += batch.projects.length;
      total.tasks += batch.tasks.length;
      total.comments += batch.comments.length;
      total.files += batch.storageKeys.length;
      const full = [batch.projects, batch.tasks, batch.comments].some((ids) => ids.length === PURGE_BATCH);
      if (!full) break;
    }
    if (total.projects + total.tasks + total.comments > 0) ctx.logger.info(total, 'trash purged');
    return total;
  };
}
