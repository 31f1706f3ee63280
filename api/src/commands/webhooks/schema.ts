/** The inputs of the webhook routes. */
import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '@taskstack/queues';
import { pageQuery } from '../../pagination.js';
import '../../openapi/registry.js';

export const webhookEventType = z.enum(WEBHOOK_EVENT_TYPES).openapi('WebhookEventType');

export const workspaceParams = z.object({ id: z.uuid() }).strict();
export const webhookParams = z.object({ id: z.uuid(), webhookId: z.uuid() }).strict();
export const deliveryParams = z.object({ id: z.uuid(), webhookId: z.uuid(), deliveryId: z.uuid() }).strict();

/** Checked further by `checkWebhookUrl` (422): the shape here, the meaning there. */
const url = z.string().trim().min(1).max(2048);
const description = z.string().trim().max(200);
/** Duplicates are dropped; the order is the list's own, so a webhook reads the same however it was written. */
const events = z
  .array(webhookEventType)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length * 2)
  .transform((list) => WEBHOOK_EVENT_TYPES.filter((type) => list.includes(type)));

export const createWebhookBody = z
  .object({
    url,
    description: description.default(''),
    /** Every event type when left out. */
    events: events.default([...WEBHOOK_EVENT_TYPES]),
  })
  .strict()
  .openapi('CreateWebhook');

export const updateWebhookBody = z
  .object({
    url: url.optional(),
    description: description.optional(),
    events: events.optional(),
    /** `true` turns a disabled webhook back on and clears its failure count. */
    active: z.boolean().optional(),
  })
  .strict()
  .openapi('UpdateWebhook');

export const listDeliveriesQuery = z.object(pageQuery).strict();
