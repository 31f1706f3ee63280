import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { createTask } from '../../commands/tasks/create-task.js';
import { deleteTask } from '../../commands/tasks/delete-task.js';
import { moveTask } from '../../commands/tasks/move-task.js';
import { updateTask } from '../../commands/tasks/update-task.js';
import type { EventPublisher } from '../../events/publisher.js';
import { authenticate, currentUser } from '../../middlewares/authenticate.js';
import { validate } from '../../middlewares/validate.js';
import { jsonContent as json } from '../../openapi/json-content.js';
import { documentRoute } from '../../openapi/registry.js';
import { pageOf, toPage } from '../../pagination.js';
import { loadTaskFor, projectAccessFor, taskAccessFor } from '../../policies/board.js';
import { labelIdsOf, presentTask, taskOutput } from '../../presenters/task.js';
import { findTasks } from './list-query.js';
import {
  createTaskBody,
  listTasksQuery,
  moveTaskBody,
  projectParams,
  taskParams,
  updateTaskBody,
} from './schema.js';

export type TaskServices = {
  events: EventPublisher;
  /** Removes attachment files after their rows are gone. */
  removeFiles: (keys: string[]) => Promise<void>;
};

/** Tasks: viewers read; members create, edit, move and delete. */
export function tasksRouter(ctx: AppContext, services: TaskServices): Router {
  const router = Router();
  const auth = authenticate(ctx);
  const { events } = services;

  documentRoute({
    method: 'get',
    path: '/projects/:id/tasks',
    summary: 'List, filter, search and sort the tasks of a project (viewer+)',
    tags: ['tasks'],
    request: { params: projectParams, query: listTasksQuery },
    responses: { 200: { description: 'A page of tasks', ...json(pageOf(taskOutput)) } },
  });
  router.get(
    '/projects/:id/tasks',
    auth,
    validate({ params: projectParams, query: listTasksQuery })(async (req, res, { params, query }) => {
      await projectAccessFor(ctx.sequelize, currentUser(req).id, params.id, 'viewer');
      const rows = await findTasks(ctx.sequelize, params.id, query);
      res.json(
        toPage(
          rows,
          query.limit,
          (row) => row.cursorKey,
          (row) => presentTask(row.task, row.labelIds),
        ),
      );
    }),
  );

  documentRoute({
    method: 'post',
    path: '/projects/:id/tasks',
    summary: 'Create a task at the end of its column (member+); the assignee must be a member',
    tags: ['tasks'],
    request: { params: projectParams, body: json(createTaskBody) },
    responses: { 201: { description: 'Created', ...json(taskOutput) } },
  });
  router.post(
    '/projects/:id/tasks',
    auth,
    validate({ params: projectParams, body: createTaskBody })(async (req, res, { params, body }) => {
      const user = currentUser(req);
      const project = await projectAccessFor(ctx.sequelize, user.id, params.id, 'member');
      res.status(201).json(await createTask(ctx, events, project, user.id, body));
    }),
  );

  documentRoute({
    method: 'get',
    path: '/tasks/:id',
    summary: 'Read a task (viewer+)',
    tags: ['tasks'],
    request: { params: taskParams },
    responses: { 200: { description: 'The task', ...json(taskOutput) } },
  });
  router.get(
    '/tasks/:id',
    auth,
    validate({ params: taskParams })(async (req, res, { params }) => {
      const { task } = await loadTaskFor(currentUser(req).id, params.id, 'viewer');
      const labels = await labelIdsOf([task.id]);
      res.json(presentTask(task, labels.get(task.id)!));
    }),
  );

  documentRoute({
    method: 'patch',
    path: '/tasks/:id',
    summary: 'Edit a task (member+); a new status puts it at the end of that column',
    tags: ['tasks'],
    request: { params: taskParams, body: json(updateTaskBody) },
    responses: { 200: { description: 'The updated task', ...json(taskOutput) } },
  });
  router.patch(
    '/tasks/:id',
    auth,
    validate({ params: taskParams, body: updateTaskBody })(async (req, res, { params, body }) => {
      const user = currentUser(req);
      const { task } = await loadTaskFor(user.id, params.id, 'member');
      res.json(await updateTask(ctx, events, task, user.id, body));
    }),
  );

  documentRoute({
    method: 'post',
    path: '/tasks/:id/move',
    summary: 'Move a task within or across status columns (member+)',
    description:
      'Writes only the moved task: its new position is a fractional key between its new neighbours. ' +
      '409 when the neighbour named has left the target column meanwhile.',
    tags: ['tasks'],
    request: { params: taskParams, body: json(moveTaskBody) },
    responses: { 200: { description: 'The task with its new status and position', ...json(taskOutput) } },
  });
  router.post(
    '/tasks/:id/move',
    auth,
    validate({ params: taskParams, body: moveTaskBody })(async (req, res, { params, body }) => {
      const user = currentUser(req);
      const task = await taskAccessFor(ctx.sequelize, user.id, params.id, 'member');
      res.json(await moveTask(ctx, events, task, user.id, body));
    }),
  );

  documentRoute({
    method: 'delete',
    path: '/tasks/:id',
    summary: 'Delete a task with its comments and attachments (member+)',
    tags: ['tasks'],
    request: { params: taskParams },
    responses: { 204: { description: 'Deleted' } },
  });
  router.delete(
    '/tasks/:id',
    auth,
    validate({ params: taskParams })(async (req, res, { params }) => {
      const user = currentUser(req);
      await loadTaskFor(user.id, params.id, 'member');
      const keys = await deleteTask(ctx, events, params.id, user.id);
      res.status(204).end();
      await services.removeFiles(keys);
    }),
  );

  return router;
}
