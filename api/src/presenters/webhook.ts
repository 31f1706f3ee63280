import type { DeliveryRecord, WebhookRecord } from '@taskstack/db/repositories';
import { z } from 'zod';
import { webhookEventType } from '../commands/webhooks/schema.js';
import '../openapi/registry.js';

export const webhookOutput = z
  .object({
    id: z.uuid(),
    workspaceId: z.uuid(),
    url: z.string(),
    description: z.string(),
    events: z.array(webhookEventType),
    active: z.boolean(),
    /** Why it is off: turned off by an admin, or automatically after repeated failed deliveries. */
    disabledReason: z.string().nullable(),
    /** Deliveries failed in a row since the last one that got through. */
    consecutiveFailures: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Webhook');

export const webhookWithSecretOutput = z
  .object({
    /** The signing secret, shown this once (at creation and at each rotation). */
    secret: z.string(),
    webhook: webhookOutput,
  })
  .openapi('WebhookWithSecret');

export const deliveryOutput = z
  .object({
    id: z.uuid(),
    webhookId: z.uuid(),
    /** The event's id, the same in every delivery of it (retries and replays too). */
    eventId: z.string(),
    eventType: z.string(),
    trigger: z.enum(['event', 'replay', 'ping']),
    status: z.enum(['pending', 'retrying', 'succeeded', 'failed']).openapi('WebhookDeliveryStatus'),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    /** The start of the receiver's answer (at most 1 KiB). */
    responseSnippet: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    error: z.string().nullable(),
    /** The JSON body sent. */
    body: z.string(),
    createdAt: z.string(),
    lastAttemptAt: z.string().nullable(),
    completedAt: z.string().nullable(),
  })
  .openapi('WebhookDelivery');

export function presentWebhook(webhook: WebhookRecord): z.infer<typeof webhookOutput> {
  return {
    id: webhook.id,
    workspaceId: webhook.workspaceId,
    url: webhook.url,
    description: webhook.description,
    events: webhook.events as z.infer<typeof webhookEventType>[],
    active: webhook.active,
    disabledReason: webhook.disabledReason,
    consecutiveFailures: webhook.consecutiveFailures,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
  };
}

export function presentDelivery(delivery: DeliveryRecord): z.infer<typeof deliveryOutput> {
  return {
    id: delivery.id,
    webhookId: delivery.webhookId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    trigger: delivery.trigger,
    status: delivery.status,
    attempts: delivery.attempts,
    responseStatus: delivery.responseStatus,
    responseSnippet: delivery.responseSnippet,
    durationMs: delivery.durationMs,
    error: delivery.error,
    body: delivery.body,
    createdAt: delivery.createdAt.toISOString(),
    lastAttemptAt: delivery.lastAttemptAt?.toISOString() ?? null,
    completedAt: delivery.completedAt?.toISOString() ?? null,
  };
}
