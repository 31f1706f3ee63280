import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { Webhook, WebhookChange, WebhookDelivery, WebhookInput } from './types.js';

/** A workspace's webhooks and their delivery log (admins and owners). */
export class WebhookService {
  constructor(private readonly http: HttpClient) {}

  list(workspaceId: string): Promise<Webhook[]> {
    return this.http.call(E.listWebhooks, { params: { id: workspaceId } });
  }
  /** The answer holds the signing secret: the only time it is shown. */
  create(workspaceId: string, input: WebhookInput): Promise<{ secret: string; webhook: Webhook }> {
    return this.http.call(E.createWebhook, { params: { id: workspaceId }, body: input });
  }
  update(workspaceId: string, webhookId: string, change: WebhookChange): Promise<Webhook> {
    return this.http.call(E.updateWebhook, { params: { id: workspaceId, webhookId }, body: change });
  }
  setActive(workspaceId: string, webhookId: string, active: boolean): Promise<Webhook> {
    return this.update(workspaceId, webhookId, { active });
  }
  /** A new signing secret, shown this once; the old one stops signing at once. */
  rotateSecret(workspaceId: string, webhookId: string): Promise<{ secret: string; webhook: Webhook }> {
    return this.http.call(E.rotateWebhookSecret, { params: { id: workspaceId, webhookId } });
  }
  remove(workspaceId: string, webhookId: string): Promise<void> {
    return this.http.call(E.deleteWebhook, { params: { id: workspaceId, webhookId } });
  }
  deliveries(workspaceId: string, webhookId: string): Promise<{ items: WebhookDelivery[] }> {
    return this.http.call(E.listWebhookDeliveries, {
      params: { id: workspaceId, webhookId },
      query: { limit: 50 },
    });
  }
  replay(workspaceId: string, webhookId: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.http.call(E.replayWebhookDelivery, { params: { id: workspaceId, webhookId, deliveryId } });
  }
  ping(workspaceId: string, webhookId: string): Promise<WebhookDelivery> {
    return this.http.call(E.pingWebhook, { params: { id: workspaceId, webhookId } });
  }
}
