import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { emailJobs, type EmailJobData, type EmailJobName } from './jobs.js';
import { QUEUES } from './names.js';

/** Retries for emails: SMTP hiccups are common and brief; backoff grows with jitter so a burst does not retry in lockstep. */
export const EMAIL_JOB_OPTIONS: JobsOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 5000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

/** Producer side of the emails queue: validates the payload here so a bad job never reaches the worker. */
export class EmailQueue {
  readonly queue: Queue;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(QUEUES.emails, { connection, prefix });
  }

  /** `jobId` makes the send idempotent: the same logical email enqueued twice is sent once. Colons are not allowed. */
  async send<N extends EmailJobName>(name: N, data: EmailJobData<N>, jobId: string): Promise<void> {
    const payload = emailJobs[name].parse(data);
    await this.queue.add(name, payload, { ...EMAIL_JOB_OPTIONS, jobId: jobId.replaceAll(':', '-') });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
