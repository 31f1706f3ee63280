import { z } from 'zod';
import { bulkEdit } from '../../commands/bulk/bulk-edit.js';
import { bulkEditBody } from '../../commands/bulk/schema.js';
import { projectParams } from '../../commands/tasks/schema.js';
import type { AppContext } from '../../context.js';
import type { EventPublisher } from '@taskstack/queues';
import { projectAccessFor } from '../../policies/board.js';
import { taskOutput } from '../../presenters/task.js';
import { defineRoutes, type RouteGroup } from '../define.js';

const bulkOutput = z.object({ items: z.array(taskOutput) }).openapi('BulkEditResult');

/** Bulk edit of the list view: many tasks of a project changed at once, all or nothing (member+). */
export function bulkRoutes(ctx: AppContext, events: EventPublisher): RouteGroup {
  const { routes, route } = defineRoutes(ctx);

  route(
    {
      method: 'post',
      path: '/projects/:id/tasks/bulk',
      summary: 'Change the status, assignee, due date, labels or project of many tasks at once (member+)',
      description:
        'One transaction: either every task changes or none does. 400 when a task is not of this project or a ' +
        'reference (assignee, label, project) is not of this workspace. Each changed task is announced as ' +
        '`task.updated` (a task moved away carries its new projectId).',
      tags: ['tasks'],
      request: { params: projectParams, body: bulkEditBody },
      responses: {
        200: { description: 'The tasks as they are now, in the order of ids', schema: bulkOutput },
      },
      transaction: true,
    },
    async ({ user, params, body, transaction }) => {
      const { project } = await projectAccessFor(ctx.sql, user.id, params.id, 'member');
      return { items: await bulkEdit(ctx, events, project, user.id, body, transaction!) };
    },
  );

  return routes;
}
