import { findTrash, setTrashRetentionDays, trashRetentionDays } from '@taskstack/db/repositories';
import { purgeItem } from '../../commands/trash/purge-item.js';
import { restoreItem } from '../../commands/trash/restore-item.js';
import {
  listTrashQuery,
  MAX_RETENTION_DAYS,
  retentionBody,
  trashItemParams,
  workspaceParams,
} from '../../commands/trash/schema.js';
import type { AppContext } from '../../context.js';
import type { EventPublisher } from '@taskstack/queues';
import { createdAtCursor, pageOf, toPage } from '../../pagination.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import { checkHolderLive, purgeableFor, restorableFor } from '../../policies/trash.js';
import { presentTrashItem, retentionOutput, trashItemOutput } from '../../presenters/trash.js';
import { defineRoutes, type RouteGroup } from '../define.js';

/**
 * The trash of a workspace: what members deleted, kept `retentionDays` (admins set it) before the worker purges
 * it. Whoever could delete an item may restore it; only admins purge by hand.
 */
export function trashRoutes(
  ctx: AppContext,
  events: EventPublisher,
  removeFiles: (keys: string[]) => Promise<void>,
): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['trash'];

  route(
    {
      method: 'get',
      path: '/workspaces/:id/trash',
      summary: 'List the trash of a workspace, most recently deleted first (member+)',
      description:
        "A project's tasks and a task's subtasks trashed with it are not listed: they come back with it.",
      tags,
      request: { params: workspaceParams, query: listTrashQuery },
      responses: { 200: { description: 'A page of trashed items', schema: pageOf(trashItemOutput) } },
    },
    async ({ user, params, query }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'member');
      const days = (await trashRetentionDays(ctx.sql, params.id))!;
      const rows = await findTrash(ctx.sql, params.id, createdAtCursor(query.cursor), query.limit);
      return toPage(
        rows,
        query.limit,
        (row) => row.cursorKey,
        (row) => presentTrashItem(row.item, days),
      );
    },
  );

  route(
    {
      method: 'post',
      path: '/trash/:kind/:id/restore',
      summary: 'Restore a trashed task, comment or project (whoever may delete it)',
      description:
        'A project comes back with the tasks deleted together with it, a task with its subtasks, at the end of ' +
        'its column. 409 when what holds the item (its project, parent task or task) is in the trash too.',
      tags,
      request: { params: trashItemParams },
      responses: { 204: { description: 'Restored' } },
      transaction: true,
    },
    async ({ user, params, transaction }) => {
      const item = await restorableFor(ctx.sql, user.id, params.kind, params.id);
      checkHolderLive(item);
      await restoreItem(ctx, events, item, user.id, transaction!);
    },
  );

  route(
    {
      method: 'delete',
      path: '/trash/:kind/:id',
      summary: 'Purge a trashed item for good, with its attachments (admin+)',
      tags,
      request: { params: trashItemParams },
      responses: { 204: { description: 'Purged' } },
      transaction: true,
    },
    async ({ user, params, transaction }) => {
      const item = await purgeableFor(ctx.sql, user.id, params.kind, params.id);
      await purgeItem(ctx, removeFiles, item, transaction!);
    },
  );

  route(
    {
      method: 'get',
      path: '/workspaces/:id/trash/retention',
      summary: 'How many days the trash keeps an item before it is purged (member+)',
      tags,
      request: { params: workspaceParams },
      responses: { 200: { description: 'The retention', schema: retentionOutput } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'member');
      return { retentionDays: (await trashRetentionDays(ctx.sql, params.id))! };
    },
  );

  route(
    {
      method: 'put',
      path: '/workspaces/:id/trash/retention',
      summary: `Set how many days (1–${MAX_RETENTION_DAYS}) the trash keeps an item (admin+)`,
      description: 'Applies to what is in the trash already: the next purge run uses the new retention.',
      tags,
      request: { params: workspaceParams, body: retentionBody },
      responses: { 200: { description: 'The new retention', schema: retentionOutput } },
    },
    async ({ user, params, body }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      await setTrashRetentionDays(ctx.sql, params.id, body.retentionDays);
      return { retentionDays: body.retentionDays };
    },
  );

  return routes;
}
