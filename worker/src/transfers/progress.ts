import { reportTransferProgress } from '@taskstack/db/repositories';
import type { Job } from 'bullmq';
import type pg from 'pg';

/**
 * Reports a transfer's progress twice: on its row (what the API serves the web app, whichever replica asks) and
 * as the BullMQ job's progress (its `progress` event, for operators and tests). Calls are chained so a slow write
 * never lets an older value land after a newer one.
 */
export function progressReporter(db: pg.Pool, job: Job, transferId: string) {
  let last = Promise.resolve();
  return (percent: number, phase: string): Promise<void> => {
    const value = Math.max(0, Math.min(100, Math.round(percent)));
    last = last
      .then(async () => {
        await reportTransferProgress(db, transferId, value, phase);
        await job.updateProgress(value);
      })
      .catch(() => {});
    return last;
  };
}
