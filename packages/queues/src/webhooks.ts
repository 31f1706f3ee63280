import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { webhookJobs, type WebhookJobData } from './jobs.js';
import { QUEUES } from './names.js';

/**
 * A fan-out only reads webhooks and writes delivery rows: a failure is the database or Redis being away, brief. Done
 * fan-outs are dropped at once, as there is one per board event.
 */
const FAN_OUT_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** How a delivery is retried: `attempts` in all, waits doubling from `delayMs` (jittered so a burst spreads out). */
export type DeliveryRetry = { attempts: number; delayMs: number };

/** An admin's replay or ping is tried once: its outcome is what they are waiting to see in the log. */
export const SINGLE_ATTEMPT: DeliveryRetry = { attempts: 1, delayMs: 0 };

/** Producer side of the webhooks queue, for the API (fan-outs, replays, pings) and the worker (fan-out's deliveries). */
export class WebhookQueue {
  constructor(readonly queue: Queue) {}

  static connect(connection: Redis, prefix: string): WebhookQueue {
    return new WebhookQueue(new Queue(QUEUES.webhooks, { connection, prefix }));
  }

  /** One job per board event, whatever the number of webhooks; the job id makes a repeated enqueue a no-op. */
  async fanOut(event: WebhookJobData<'fan-out'>): Promise<void> {
    const payload = webhookJobs['fan-out'].parse(event);
    await this.queue.add('fan-out', payload, {
      ...FAN_OUT_OPTIONS,
      jobId: `event-${event.workspaceId}-${event.id}`.replaceAll(':', '-'),
    });
  }

  /** Sends the delivery rows `deliveryIds`; a row already queued (same job id) is not queued twice. */
  async deliver(deliveryIds: string[], retry: DeliveryRetry): Promise<void> {
    await this.queue.addBulk(
      deliveryIds.map((deliveryId) => ({
        name: 'deliver',
        data: { deliveryId },
        opts: {
          jobId: `delivery-${deliveryId}`,
          attempts: retry.attempts,
          backoff: { type: 'exponential', delay: retry.delayMs, jitter: 0.3 },
          removeOnComplete: { age: 24 * 3600, count: 5000 },
          removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
        },
      })),
    );
  }
}

/**
 * The JSON body every delivery carries, built once per event (so every webhook, and every replay, gets the same
 * bytes). Receivers tell events apart by `id`: a replay or a retry repeats it.
 */
export function webhookBody(event: {
  id: string;
  type: string;
  workspaceId: string;
  occurredAt: string;
  data: unknown;
}): string {
  const { id, type, workspaceId, occurredAt, data } = event;
  return JSON.stringify({ id, type, workspaceId, occurredAt, data });
}
