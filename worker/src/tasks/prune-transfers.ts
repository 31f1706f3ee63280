import { clearTransferFile, expiredTransferFiles } from '@taskstack/db/repositories';
import type { TaskContext } from './context.js';

/**
 * The `prune-transfers` job: deletes export zips past their download window and uploads whose import never ran,
 * then forgets them on their rows. Removing a missing file is no error, so a rerun after a crash is harmless.
 */
export function pruneTransfersTask(ctx: TaskContext) {
  return async (): Promise<{ removed: number }> => {
    let removed = 0;
    for (;;) {
      const batch = await expiredTransferFiles(ctx.db, new Date());
      for (const { id, fileKey } of batch) {
        await ctx.files.remove(fileKey);
        await clearTransferFile(ctx.db, id);
        removed += 1;
      }
      if (batch.length < 200) break;
    }
    if (removed) ctx.logger.info({ removed }, 'expired transfer files removed');
    return { removed };
  };
}
