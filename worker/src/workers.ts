import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@taskstack/runtime';
import type { WorkerMetrics } from './metrics.js';

export type Handler = (job: Job) => Promise<unknown>;

/** Thrown at start-up when a queue has a job name no handler serves: better no worker than silently stuck jobs. */
export class MissingHandlerError extends Error {}

/** Refuses to start a queue's worker unless every job name declared for it has a handler. */
export function assertHandlers(queue: string, jobNames: string[], handlers: Record<string, Handler>): void {
  const missing = jobNames.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) {
    throw new MissingHandlerError(
      `queue ${queue}: no handler for job ${missing.map((n) => `"${n}"`).join(', ')}`,
    );
  }
}

export type QueueWorkerOptions = {
  connection: Redis;
  prefix: string;
  concurrency: number;
  metrics: WorkerMetrics;
  logger: Logger;
  /** Lock lifetime; a crashed worker's job is retried once it lapses. BullMQ's default (30 s) unless tuned. */
  lockDurationMs?: number;
};

/** One BullMQ worker for a queue, dispatching by job name and recording outcome and duration of every attempt. */
export function createQueueWorker(
  queue: string,
  handlers: Record<string, Handler>,
  options: QueueWorkerOptions,
): Worker {
  const { metrics, logger } = options;
  const worker = new Worker(
    queue,
    async (job) => {
      const handler = handlers[job.name];
      if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on queue ${queue}`);
      const labels = { queue, name: job.name };
      const end = metrics.duration.startTimer(labels);
      try {
        const result = await handler(job);
        metrics.completed.inc(labels);
        return result;
      } catch (error) {
        metrics.failed.inc(labels);
        throw error;
      } finally {
        end();
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      ...(options.lockDurationMs
        ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }
        : {}),
    },
  );
  worker.on('failed', (job, error) =>
    logger.warn(
      { queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message },
      'job failed',
    ),
  );
  worker.on('error', (error) => logger.error({ queue, err: error }, 'worker error'));
  return worker;
}
