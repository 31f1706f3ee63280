import { insertEventDeliveries } from '@taskstack/db/repositories';
import { webhookBody, webhookJobs } from '@taskstack/queues';
import { UnrecoverableError, type Job } from 'bullmq';
import type { TaskContext } from './context.js';

/**
 * The `fan-out` job: one board event becomes a delivery row per active webhook of its workspace subscribed to its
 * type (one statement), each sent by a `deliver` job of its own so a slow receiver holds up nobody else. Rows a
 * retried fan-out already wrote are found again, and only those not sent yet are queued (again: job ids dedupe).
 */
export function fanOutWebhooksTask(ctx: TaskContext) {
  return async (job: Job): Promise<{ deliveries: number }> => {
    const parsed = webhookJobs['fan-out'].safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid fan-out payload: ${parsed.error.message}`);
    const event = parsed.data;
    const rows = await insertEventDeliveries(ctx.db, {
      workspaceId: event.workspaceId,
      id: event.id,
      type: event.type,
      body: webhookBody(event),
    });
    const unsent = rows.filter((row) => row.status === 'pending').map((row) => row.id);
    if (unsent.length > 0) {
      await ctx.webhooks.deliver(unsent, {
        attempts: ctx.config.WEBHOOK_MAX_ATTEMPTS,
        delayMs: ctx.config.WEBHOOK_RETRY_DELAY_MS,
      });
    }
    return { deliveries: rows.length };
  };
}
