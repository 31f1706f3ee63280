import { findWebhook, type Queryable, type WebhookRecord } from '@taskstack/db/repositories';
import { notFound } from '../errors.js';
import { workspaceAccessFor } from './membership.js';

/**
 * Webhooks are the workspace's admins' and owners' alone: they send the workspace's activity elsewhere and hold a
 * signing secret. A webhook of another workspace is as unknown as a made-up id.
 */
export async function webhookFor(
  db: Queryable,
  userId: string,
  workspaceId: string,
  webhookId: string,
): Promise<WebhookRecord> {
  await workspaceAccessFor(db, userId, workspaceId, 'admin');
  const webhook = await findWebhook(db, workspaceId, webhookId);
  if (!webhook) throw notFound('Webhook');
  return webhook;
}
