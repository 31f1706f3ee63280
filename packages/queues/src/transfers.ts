import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { transferJobs } from './jobs.js';
import { QUEUES } from './names.js';

/**
 * An import or export runs once: a failure is a bad file (the job fails with its reason) or the worker dying, after
 * which BullMQ's stalled-job check hands it to another worker, which starts it afresh (an import is one transaction,
 * so a dead attempt left nothing).
 */
const TRANSFER_OPTIONS: JobsOptions = {
  attempts: 1,
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 1000 },
};

/** Producer side of the transfers queue, for the API. */
export class TransferQueue {
  constructor(readonly queue: Queue) {}

  static connect(connection: Redis, prefix: string): TransferQueue {
    return new TransferQueue(new Queue(QUEUES.transfers, { connection, prefix }));
  }

  /** Queues the job of a `workspace_transfers` row; its id is the job id, so enqueueing twice runs it once. */
  async start(kind: 'export' | 'import', transferId: string): Promise<void> {
    const name = kind === 'export' ? 'export-workspace' : 'import-workspace';
    const payload = transferJobs[name].parse({ transferId });
    await this.queue.add(name, payload, { ...TRANSFER_OPTIONS, jobId: `transfer-${transferId}` });
  }
}
