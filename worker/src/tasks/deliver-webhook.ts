import {
  countWebhookFailure,
  deliveryToSend,
  findWorkspace,
  membersOf,
  openWebhookSecret,
  recordDeliveryAttempt,
  resetWebhookFailures,
} from '@taskstack/db/repositories';
import { webhookJobs } from '@taskstack/queues';
import { UnrecoverableError, type Job } from 'bullmq';
import { BlockedAddressError } from '../webhooks/address-guard.js';
import { postOnce } from '../webhooks/post.js';
import { signatureHeader } from '../webhooks/signature.js';
import type { TaskContext } from './context.js';

type Outcome = { status: number | null; snippet: string | null; error: string | null };

/**
 * The `deliver` job: one attempt at one delivery row, signed afresh. A 2xx ends the webhook's run of failures;
 * anything else is recorded and thrown, so BullMQ retries it with backoff until the job's attempts run out. Only
 * then does the delivery count as failed, and WEBHOOK_DISABLE_AFTER_FAILURES such deliveries in a row turn the
 * webhook off, with the reason shown to its admins and emailed to them. An address refused by the guard is final.
 */
export function deliverWebhookTask(ctx: TaskContext) {
  const { config } = ctx;
  return async (job: Job): Promise<{ status: number } | string> => {
    const parsed = webhookJobs.deliver.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid deliver payload: ${parsed.error.message}`);
    const found = await deliveryToSend(ctx.db, parsed.data.deliveryId);
    if (!found) return 'webhook deleted';
    const { delivery, webhook } = found;
    if (delivery.status === 'succeeded' || delivery.status === 'failed') return 'already done';
    const attempt = job.attemptsMade + 1;
    if (!webhook.active && delivery.trigger === 'event') {
      await recordDeliveryAttempt(ctx.db, delivery.id, {
        status: 'failed',
        attempts: delivery.attempts,
        responseStatus: null,
        responseSnippet: null,
        durationMs: null,
        error: 'Not sent: the webhook was turned off.',
      });
      return 'webhook off';
    }

    const started = performance.now();
    let outcome: Outcome;
    let final = attempt >= (job.opts.attempts ?? 1);
    try {
      // Opened per attempt and never kept: a key fixed in the meantime (see DATA_ENCRYPTION_KEY) is used on retry.
      const secret = openWebhookSecret(ctx.keyring, webhook.id, webhook.sealedSecret);
      const result = await postOnce(
        webhook.url,
        delivery.body,
        {
          'content-type': 'application/json',
          'user-agent': 'taskstack-webhooks/1',
          'taskstack-event': delivery.eventType,
          'taskstack-delivery': delivery.id,
          'taskstack-signature': signatureHeader(secret, delivery.body),
        },
        { timeoutMs: config.WEBHOOK_TIMEOUT_MS, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS },
      );
      const ok = result.status >= 200 && result.status < 300;
      const redirect = result.status >= 300 && result.status < 400 ? ' (redirects are not followed)' : '';
      outcome = {
        status: result.status,
        snippet: result.snippet,
        error: ok ? null : `HTTP ${result.status}${redirect}`,
      };
    } catch (error) {
      if (error instanceof BlockedAddressError) final = true;
      outcome = { status: null, snippet: null, error: (error as Error).message };
    }
    const succeeded = outcome.error === null;
    await recordDeliveryAttempt(ctx.db, delivery.id, {
      status: succeeded ? 'succeeded' : final ? 'failed' : 'retrying',
      attempts: attempt,
      responseStatus: outcome.status,
      responseSnippet: outcome.snippet,
      durationMs: Math.round(performance.now() - started),
      error: outcome.error,
    });
    if (succeeded) {
      await resetWebhookFailures(ctx.db, webhook.id);
      return { status: outcome.status! };
    }
    if (final) await countFailure(ctx, webhook, outcome.error!);
    // A non-2xx answer is retried like a network error; the last attempt, or a refused address, is final.
    throw final ? new UnrecoverableError(outcome.error!) : new Error(outcome.error!);
  };
}

/** One more failed delivery in a row; the one that turns the webhook off also tells the workspace's admins. */
async function countFailure(
  ctx: TaskContext,
  webhook: { id: string; workspaceId: string; url: string },
  lastError: string,
): Promise<void> {
  const threshold = ctx.config.WEBHOOK_DISABLE_AFTER_FAILURES;
  const reason = `Turned off after ${threshold} failed deliveries in a row (last: ${lastError}).`;
  const counted = await countWebhookFailure(ctx.db, webhook.id, threshold, reason);
  if (!counted?.disabledNow) return;
  ctx.logger.warn({ webhookId: webhook.id, workspaceId: webhook.workspaceId }, 'webhook turned off');
  const workspace = await findWorkspace(ctx.db, webhook.workspaceId);
  const admins = (await membersOf(ctx.db, webhook.workspaceId))
    .filter((member) => member.role === 'admin' || member.role === 'owner')
    .map((member) => member.email);
  if (!workspace || admins.length === 0) return;
  await ctx.emails.send(
    'webhook-disabled',
    {
      to: admins,
      workspaceName: workspace.name,
      url: webhook.url,
      reason,
      settingsUrl: new URL(`/w/${webhook.workspaceId}/webhooks`, ctx.config.PUBLIC_URL).toString(),
    },
    `webhook-disabled-${webhook.id}-${Date.now()}`,
  );
}
