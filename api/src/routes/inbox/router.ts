import {
  emailPreference,
  findNotification,
  findNotifications,
  markAllNotificationsRead,
  setEmailPreference,
  setNotificationRead,
  unreadCount,
} from '@taskstack/db/repositories';
import { publishInboxUpdate } from '../../commands/inbox/notify.js';
import type { AppContext } from '../../context.js';
import { notFound, unauthorized } from '../../errors.js';
import type { EventPublisher } from '@taskstack/queues';
import { createdAtCursor, pageOf, toPage } from '../../pagination.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import { notificationOutput, presentNotification } from '../../presenters/notification.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import {
  listInboxQuery,
  markReadBody,
  notificationParams,
  preferencesBody,
  unreadOutput,
  workspaceParams,
} from './schema.js';

/**
 * The signed-in user's inbox in a workspace (any member; nobody sees another's) and their email preference.
 * Changes are announced to the user's own streams as `inbox.updated`, so other tabs keep their badge right.
 */
export function inboxRoutes(ctx: AppContext, events: EventPublisher): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['inbox'];
  const announce = (workspaceId: string, userId: string) =>
    publishInboxUpdate(ctx, events, workspaceId, userId).catch((err: unknown) =>
      ctx.logger.warn({ err }, 'inbox update not announced'),
    );

  route(
    {
      method: 'get',
      path: '/workspaces/:id/inbox',
      summary: 'My inbox in a workspace, newest first (viewer+)',
      tags,
      request: { params: workspaceParams, query: listInboxQuery },
      responses: {
        200: { description: 'A page of inbox items', schema: pageOf(notificationOutput) },
      },
    },
    async ({ user, params, query }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'viewer');
      const rows = await findNotifications(ctx.sql, user.id, params.id, {
        unreadOnly: query.unread === 'true',
        cursor: createdAtCursor(query.cursor),
        limit: query.limit,
      });
      return toPage(
        rows,
        query.limit,
        (row) => row.cursorKey,
        (row) => presentNotification(row.notification),
      );
    },
  );

  route(
    {
      method: 'get',
      path: '/workspaces/:id/inbox/unread',
      summary: 'How many of my inbox items in a workspace are unread (viewer+)',
      tags,
      request: { params: workspaceParams },
      responses: { 200: { description: 'The unread count', schema: unreadOutput } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'viewer');
      return { unread: await unreadCount(ctx.sql, user.id, params.id) };
    },
  );

  route(
    {
      method: 'post',
      path: '/workspaces/:id/inbox/read',
      summary: 'Mark all my inbox items in a workspace read (viewer+)',
      tags,
      request: { params: workspaceParams },
      responses: { 200: { description: 'The unread count, now 0', schema: unreadOutput } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'viewer');
      if ((await markAllNotificationsRead(ctx.sql, user.id, params.id)) > 0)
        await announce(params.id, user.id);
      return { unread: 0 };
    },
  );

  route(
    {
      method: 'patch',
      path: '/me/inbox/:id',
      summary: 'Mark one of my inbox items read or unread',
      tags,
      request: { params: notificationParams, body: markReadBody },
      responses: { 200: { description: 'The item', schema: notificationOutput } },
    },
    async ({ user, params, body }) => {
      // Someone else's item, or one of a workspace the user has left, does not exist for them.
      const item = await findNotification(ctx.sql, user.id, params.id);
      if (!item) throw notFound('Notification');
      await workspaceAccessFor(ctx.sql, user.id, item.workspaceId, 'viewer', 'Notification');
      if (!(await setNotificationRead(ctx.sql, user.id, item.id, body.read))) throw notFound('Notification');
      await announce(item.workspaceId, user.id);
      return presentNotification((await findNotification(ctx.sql, user.id, item.id)) ?? item);
    },
  );

  route(
    {
      method: 'get',
      path: '/me/notification-preferences',
      summary: 'How my inbox reaches me by email',
      tags,
      responses: { 200: { description: 'The preferences', schema: preferencesBody } },
    },
    async ({ user }) => {
      const email = await emailPreference(ctx.sql, user.id);
      if (!email) throw unauthorized();
      return { email };
    },
  );

  route(
    {
      method: 'put',
      path: '/me/notification-preferences',
      summary: 'Choose how my inbox reaches me by email: immediately, a daily digest, or never',
      tags,
      request: { body: preferencesBody },
      responses: { 200: { description: 'The preferences', schema: preferencesBody } },
    },
    async ({ user, body }) => {
      await setEmailPreference(ctx.sql, user.id, body.email);
      return { email: body.email };
    },
  );

  return routes;
}
