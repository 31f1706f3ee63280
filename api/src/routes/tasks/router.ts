import type { AppContext } from '../../context.js';
import { createTask } from '../../commands/tasks/create-task.js';
import { deleteTask } from '../../commands/tasks/delete-task.js';
import { listTasks, readTask } from '../../commands/tasks/list-tasks.js';
import { moveTask } from '../../commands/tasks/move-task.js';
import {
  createTaskBody,
  listTasksQuery,
  moveTaskBody,
  myTasksQuery,
  projectParams,
  taskParams,
  updateTaskBody,
  workspaceParams,
} from '../../commands/tasks/schema.js';
import { updateTask } from '../../commands/tasks/update-task.js';
import type { EventPublisher } from '@taskstack/queues';
import { pageOf } from '../../pagination.js';
import { projectAccessFor, taskAccessFor } from '../../policies/board.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import { taskOutput } from '../../presenters/task.js';
import { defineRoutes, type RouteGroup } from '../define.js';

/** Tasks: viewers read; members create, edit, move and delete (to the trash). */
export function tasksRoutes(ctx: AppContext, events: EventPublisher): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['tasks'];

  route(
    {
      method: 'get',
      path: '/projects/:id/tasks',
      summary: 'List, filter, search and sort the tasks of a project (viewer+)',
      tags,
      request: { params: projectParams, query: listTasksQuery },
      responses: { 200: { description: 'A page of tasks', schema: pageOf(taskOutput) } },
    },
    async ({ user, params, query }) => {
      await projectAccessFor(ctx.sql, user.id, params.id, 'viewer');
      return listTasks(ctx, { projectId: params.id }, query);
    },
  );

  route(
    {
      method: 'get',
      path: '/workspaces/:id/my-tasks',
      summary: "The caller's tasks across the projects of a workspace, with the list's filters (viewer+)",
      description:
        'The tasks assigned to the caller; with dueFrom and dueBefore, what a calendar of them shows.',
      tags,
      request: { params: workspaceParams, query: myTasksQuery },
      responses: { 200: { description: 'A page of tasks', schema: pageOf(taskOutput) } },
    },
    async ({ user, params, query }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'viewer');
      return listTasks(ctx, { workspaceId: params.id, assigneeId: user.id }, query);
    },
  );

  route(
    {
      method: 'post',
      path: '/projects/:id/tasks',
      summary: 'Create a task at the end of its column (member+); the assignee must be a member',
      tags,
      request: { params: projectParams, body: createTaskBody },
      responses: { 201: { description: 'Created', schema: taskOutput } },
    },
    async ({ user, params, body }) => {
      const { project } = await projectAccessFor(ctx.sql, user.id, params.id, 'member');
      return createTask(ctx, events, project, user.id, body);
    },
  );

  route(
    {
      method: 'get',
      path: '/tasks/:id',
      summary: 'Read a task (viewer+)',
      tags,
      request: { params: taskParams },
      responses: { 200: { description: 'The task', schema: taskOutput } },
    },
    async ({ user, params }) =>
      readTask(ctx, (await taskAccessFor(ctx.sql, user.id, params.id, 'viewer')).task),
  );

  route(
    {
      method: 'patch',
      path: '/tasks/:id',
      summary: 'Edit a task (member+); a new status puts it at the end of that column',
      tags,
      request: { params: taskParams, body: updateTaskBody },
      responses: { 200: { description: 'The updated task', schema: taskOutput } },
      transaction: true,
    },
    async ({ user, params, body, transaction }) => {
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      return updateTask(ctx, events, task, user.id, body, transaction!);
    },
  );

  route(
    {
      method: 'post',
      path: '/tasks/:id/move',
      summary: 'Move a task within or across status columns (member+)',
      description:
        'Writes only the moved task: its new position is a fractional key between its new neighbours. ' +
        '409 when the neighbour named has left the target column meanwhile.',
      tags,
      request: { params: taskParams, body: moveTaskBody },
      responses: { 200: { description: 'The task with its new status and position', schema: taskOutput } },
    },
    async ({ user, params, body }) => {
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      return moveTask(ctx, events, task, user.id, body);
    },
  );

  route(
    {
      method: 'delete',
      path: '/tasks/:id',
      summary:
        'Move a task with its subtasks to the trash (member+); POST /trash/task/{id}/restore undoes it',
      tags,
      request: { params: taskParams },
      responses: { 204: { description: 'Deleted' } },
      transaction: true,
    },
    async ({ user, params, transaction }) => {
      await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      await deleteTask(ctx, events, params.id, user.id, transaction!);
    },
  );

  return routes;
}
