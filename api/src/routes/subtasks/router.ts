import { setParentBody } from '../../commands/subtasks/schema.js';
import { listSubtasks, setParent } from '../../commands/subtasks/subtasks.js';
import { createTask } from '../../commands/tasks/create-task.js';
import { createTaskBody, taskParams } from '../../commands/tasks/schema.js';
import type { AppContext } from '../../context.js';
import type { EventPublisher } from '@taskstack/queues';
import { projectAccessFor, taskAccessFor } from '../../policies/board.js';
import { taskOutput } from '../../presenters/task.js';
import { defineRoutes, type RouteGroup } from '../define.js';

const nesting =
  'Subtasks are one level deep: a subtask has no subtasks of its own, so no chain or cycle can form. ' +
  "The parent's progress changes too and is announced as its `task.updated`.";

/** Subtasks: tasks with a parent in the same project. Viewers read; members create, attach and promote. */
export function subtasksRoutes(ctx: AppContext, events: EventPublisher): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['subtasks'];

  route(
    {
      method: 'get',
      path: '/tasks/:id/subtasks',
      summary: "A task's subtasks, in the order they were created (viewer+)",
      tags,
      request: { params: taskParams },
      responses: { 200: { description: 'The subtasks', schema: taskOutput.array() } },
    },
    async ({ user, params }) =>
      listSubtasks(ctx, (await taskAccessFor(ctx.sql, user.id, params.id, 'viewer')).task),
  );

  route(
    {
      method: 'post',
      path: '/tasks/:id/subtasks',
      summary: 'Create a subtask of a task, in the same project (member+)',
      description: `${nesting} 409 when the task is itself a subtask or already holds 100 subtasks.`,
      tags,
      request: { params: taskParams, body: createTaskBody },
      responses: { 201: { description: 'Created', schema: taskOutput } },
    },
    async ({ user, params, body }) => {
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      const { project } = await projectAccessFor(ctx.sql, user.id, task.projectId, 'member');
      return createTask(ctx, events, project, user.id, body, task.id);
    },
  );

  route(
    {
      method: 'put',
      path: '/tasks/:id/parent',
      summary: 'Make a task a subtask of another task of its project (member+)',
      description: `${nesting} 400 when the parent is the task itself, of another project or a subtask; 409 when the task has subtasks.`,
      tags,
      request: { params: taskParams, body: setParentBody },
      responses: { 200: { description: 'The task, now a subtask', schema: taskOutput } },
      transaction: true,
    },
    async ({ user, params, body, transaction }) => {
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      return setParent(ctx, events, task, user.id, body.parentId, transaction!);
    },
  );

  route(
    {
      method: 'delete',
      path: '/tasks/:id/parent',
      summary: 'Promote a subtask to a task of its own (member+)',
      description: "The former parent's progress is announced as its `task.updated`.",
      tags,
      request: { params: taskParams },
      responses: { 200: { description: 'The task, no longer a subtask', schema: taskOutput } },
      transaction: true,
    },
    async ({ user, params, transaction }) => {
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      return setParent(ctx, events, task, user.id, null, transaction!);
    },
  );

  return routes;
}
