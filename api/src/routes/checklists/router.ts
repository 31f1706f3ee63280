import {
  createChecklistItem,
  moveChecklistItem,
  readChecklist,
  removeChecklistItem,
  updateChecklistItemFields,
} from '../../commands/checklists/checklist-items.js';
import {
  checklistItemParams,
  createChecklistItemBody,
  MAX_CHECKLIST_ITEMS,
  moveChecklistItemBody,
  updateChecklistItemBody,
} from '../../commands/checklists/schema.js';
import { taskParams } from '../../commands/tasks/schema.js';
import type { AppContext } from '../../context.js';
import type { EventPublisher } from '@taskstack/queues';
import { taskAccessFor } from '../../policies/board.js';
import { checklistItemAccessFor } from '../../policies/checklist.js';
import { checklistItemOutput, checklistOutput } from '../../presenters/checklist.js';
import { defineRoutes, type RouteGroup } from '../define.js';

const announced =
  'Every change is announced on the event stream as `checklist.updated` with the whole list as committed ' +
  '({projectId, taskId, items, progress}).';

/** A task's checklist: viewers read; members add, edit, tick, reorder and delete items. */
export function checklistsRoutes(ctx: AppContext, events: EventPublisher): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['checklists'];
  const write = (transaction: unknown) => ({ ctx, events, transaction: transaction as never });

  route(
    {
      method: 'get',
      path: '/tasks/:id/checklist',
      summary: "A task's checklist items in order (viewer+)",
      tags,
      request: { params: taskParams },
      responses: { 200: { description: 'The items, in order', schema: checklistOutput } },
    },
    async ({ user, params }) =>
      readChecklist(ctx, (await taskAccessFor(ctx.sql, user.id, params.id, 'viewer')).task),
  );

  route(
    {
      method: 'post',
      path: '/tasks/:id/checklist',
      summary: 'Add an item at the end of the checklist (member+); the assignee must be a member',
      description: `${announced} 409 once the checklist holds ${MAX_CHECKLIST_ITEMS} items.`,
      tags,
      request: { params: taskParams, body: createChecklistItemBody },
      responses: { 201: { description: 'Created', schema: checklistItemOutput } },
      transaction: true,
    },
    async ({ user, params, body, transaction }) => {
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      return createChecklistItem(write(transaction), task, body);
    },
  );

  route(
    {
      method: 'patch',
      path: '/checklist-items/:id',
      summary: "Edit a checklist item's text, done flag, assignee or due date (member+)",
      description: announced,
      tags,
      request: { params: checklistItemParams, body: updateChecklistItemBody },
      responses: { 200: { description: 'The updated item', schema: checklistItemOutput } },
      transaction: true,
    },
    async ({ user, params, body, transaction }) => {
      const { task } = await checklistItemAccessFor(ctx.sql, user.id, params.id, 'member');
      return updateChecklistItemFields(write(transaction), task, params.id, body);
    },
  );

  route(
    {
      method: 'post',
      path: '/checklist-items/:id/move',
      summary: 'Move a checklist item to another place in its list (member+)',
      description: announced,
      tags,
      request: { params: checklistItemParams, body: moveChecklistItemBody },
      responses: { 200: { description: 'The item with its new position', schema: checklistItemOutput } },
      transaction: true,
    },
    async ({ user, params, body, transaction }) => {
      const { task } = await checklistItemAccessFor(ctx.sql, user.id, params.id, 'member');
      return moveChecklistItem(write(transaction), task, params.id, body);
    },
  );

  route(
    {
      method: 'delete',
      path: '/checklist-items/:id',
      summary: 'Delete a checklist item (member+)',
      description: announced,
      tags,
      request: { params: checklistItemParams },
      responses: { 204: { description: 'Deleted' } },
      transaction: true,
    },
    async ({ user, params, transaction }) => {
      const { task } = await checklistItemAccessFor(ctx.sql, user.id, params.id, 'member');
      await removeChecklistItem(write(transaction), task, params.id);
    },
  );

  return routes;
}
