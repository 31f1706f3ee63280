import {
  countWebhooks,
  deleteWebhook,
  findDeliveries,
  findDelivery,
  findWebhooks,
  insertDelivery,
  insertWebhook,
  setWebhookSecret,
  updateWebhook,
  type DeliveryRecord,
} from '@taskstack/db/repositories';
import { SINGLE_ATTEMPT, webhookBody } from '@taskstack/queues';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  createWebhookBody,
  deliveryParams,
  listDeliveriesQuery,
  updateWebhookBody,
  webhookParams,
  workspaceParams,
} from '../../commands/webhooks/schema.js';
import { newWebhookSecret } from '../../commands/webhooks/secret.js';
import { checkWebhookUrl } from '../../commands/webhooks/url.js';
import type { AppContext } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { createdAtCursor, pageOf, toPage } from '../../pagination.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import { webhookFor } from '../../policies/webhook.js';
import {
  deliveryOutput,
  presentDelivery,
  presentWebhook,
  webhookOutput,
  webhookWithSecretOutput,
} from '../../presenters/webhook.js';
import { defineRoutes, type RouteGroup } from '../define.js';

/** A workspace wires a handful of integrations; far more is a script gone wrong. */
export const MAX_WEBHOOKS_PER_WORKSPACE = 20;

/**
 * Webhooks of a workspace (admin+): board events POSTed, signed, to a URL of the admins' choosing. The API only
 * stores them and enqueues; the worker sends, retries, logs each delivery and turns off a webhook that keeps failing.
 */
export function webhooksRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['webhooks'];
  const base = '/workspaces/:id/webhooks';

  /** Queues an admin's delivery (a replay or a ping) for one attempt; the log shows how it went. */
  const sendOnce = async (delivery: DeliveryRecord) => {
    await ctx.webhooks.deliver([delivery.id], SINGLE_ATTEMPT);
    return presentDelivery(delivery);
  };

  route(
    {
      method: 'get',
      path: base,
      summary: "The workspace's webhooks, oldest first (admin+)",
      tags,
      request: { params: workspaceParams },
      responses: { 200: { description: 'Webhooks', schema: z.array(webhookOutput) } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      return (await findWebhooks(ctx.sql, params.id)).map(presentWebhook);
    },
  );

  route(
    {
      method: 'post',
      path: base,
      summary: 'Add a webhook (admin+); the answer holds its signing secret, shown this once',
      description:
        `At most ${MAX_WEBHOOKS_PER_WORKSPACE} per workspace. 422 when the URL is not an http(s) URL without ` +
        'credentials. Deliveries carry `Taskstack-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.',
      tags,
      request: { params: workspaceParams, body: createWebhookBody },
      responses: { 201: { description: 'Added', schema: webhookWithSecretOutput } },
    },
    async ({ user, params, body }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      const url = checkWebhookUrl(body.url);
      if ((await countWebhooks(ctx.sql, params.id)) >= MAX_WEBHOOKS_PER_WORKSPACE) {
        throw conflict(
          `This workspace has ${MAX_WEBHOOKS_PER_WORKSPACE} webhooks already: delete one first.`,
        );
      }
      const secret = newWebhookSecret();
      const webhook = await insertWebhook(ctx.sql, ctx.keyring, {
        workspaceId: params.id,
        url,
        description: body.description,
        events: body.events,
        secret,
        createdBy: user.id,
      });
      await ctx.webhookInterest.changed(params.id);
      return { secret, webhook: presentWebhook(webhook) };
    },
  );

  route(
    {
      method: 'patch',
      path: `${base}/:webhookId`,
      summary: 'Change a webhook, or turn it off or back on (admin+)',
      tags,
      request: { params: webhookParams, body: updateWebhookBody },
      responses: { 200: { description: 'The updated webhook', schema: webhookOutput } },
    },
    async ({ user, params, body }) => {
      await webhookFor(ctx.sql, user.id, params.id, params.webhookId);
      const url = body.url === undefined ? undefined : checkWebhookUrl(body.url);
      const updated = await updateWebhook(ctx.sql, params.webhookId, { ...body, url });
      if (!updated) throw notFound('Webhook');
      await ctx.webhookInterest.changed(params.id);
      return presentWebhook(updated);
    },
  );

  route(
    {
      method: 'delete',
      path: `${base}/:webhookId`,
      summary: 'Delete a webhook and its delivery log (admin+)',
      tags,
      request: { params: webhookParams },
      responses: { 204: { description: 'Deleted' } },
    },
    async ({ user, params }) => {
      await webhookFor(ctx.sql, user.id, params.id, params.webhookId);
      await deleteWebhook(ctx.sql, params.webhookId);
      await ctx.webhookInterest.changed(params.id);
    },
  );

  route(
    {
      method: 'post',
      path: `${base}/:webhookId/secret`,
      summary:
        'Replace the signing secret (admin+); the new one is shown this once and signs every delivery from now',
      tags,
      request: { params: webhookParams },
      responses: { 200: { description: 'The new secret', schema: webhookWithSecretOutput } },
    },
    async ({ user, params }) => {
      const webhook = await webhookFor(ctx.sql, user.id, params.id, params.webhookId);
      const secret = newWebhookSecret();
      await setWebhookSecret(ctx.sql, ctx.keyring, webhook.id, secret);
      return { secret, webhook: presentWebhook(webhook) };
    },
  );

  route(
    {
      method: 'get',
      path: `${base}/:webhookId/deliveries`,
      summary: "A webhook's delivery log, newest first (admin+)",
      tags,
      request: { params: webhookParams, query: listDeliveriesQuery },
      responses: { 200: { description: 'A page of deliveries', schema: pageOf(deliveryOutput) } },
    },
    async ({ user, params, query }) => {
      await webhookFor(ctx.sql, user.id, params.id, params.webhookId);
      const rows = await findDeliveries(ctx.sql, params.webhookId, {
        cursor: createdAtCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(
        rows,
        query.limit,
        (row) => row.cursorKey,
        (row) => presentDelivery(row.delivery),
      );
    },
  );

  route(
    {
      method: 'post',
      path: `${base}/:webhookId/deliveries/:deliveryId/replay`,
      summary: 'Send a delivery again, as a new delivery of the same event and body, tried once (admin+)',
      description:
        'Works on a turned-off webhook too, so a fixed receiver can be checked before turning it back on.',
      tags,
      request: { params: deliveryParams },
      responses: { 202: { description: 'The new delivery, queued', schema: deliveryOutput } },
    },
    async ({ user, params }) => {
      await webhookFor(ctx.sql, user.id, params.id, params.webhookId);
      const original = await findDelivery(ctx.sql, params.webhookId, params.deliveryId);
      if (!original) throw notFound('Delivery');
      const { eventId, eventType, body } = original;
      return sendOnce(
        await insertDelivery(ctx.sql, {
          webhookId: params.webhookId,
          eventId,
          eventType,
          body,
          trigger: 'replay',
        }),
      );
    },
  );

  route(
    {
      method: 'post',
      path: `${base}/:webhookId/ping`,
      summary: 'Send a `ping` event to check the receiver and its signature check, tried once (admin+)',
      tags,
      request: { params: webhookParams },
      responses: { 202: { description: 'The ping delivery, queued', schema: deliveryOutput } },
    },
    async ({ user, params }) => {
      const webhook = await webhookFor(ctx.sql, user.id, params.id, params.webhookId);
      const id = randomUUID();
      const body = webhookBody({
        id,
        type: 'ping',
        workspaceId: params.id,
        occurredAt: new Date().toISOString(),
        data: { webhookId: webhook.id, url: webhook.url },
      });
      return sendOnce(
        await insertDelivery(ctx.sql, {
          webhookId: webhook.id,
          eventId: id,
          eventType: 'ping',
          body,
          trigger: 'ping',
        }),
      );
    },
  );

  return routes;
}
