import {
  countTasksByStatus,
  findProject,
  findProjects,
  insertProject,
  trashProjectRows,
  updateProject,
  type ProjectRecord,
} from '@taskstack/db/repositories';
import type { Role } from '@taskstack/db';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { afterCommit } from '../../commands/side-effects.js';
import { notFound } from '../../errors.js';
import type { EventPublisher } from '@taskstack/queues';
import { projectAccessFor } from '../../policies/board.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import { emptyTaskCounts, presentProject, projectOutput, type TaskCounts } from '../../presenters/project.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import { createProjectBody, projectParams, updateProjectBody, workspaceParams } from './schema.js';

/** Task counts per status for many projects in one query, so the project list costs a constant number of queries. */
async function countTasks(ctx: AppContext, projectIds: string[]): Promise<Map<string, TaskCounts>> {
  const counts = new Map(projectIds.map((id) => [id, emptyTaskCounts()]));
  for (const row of await countTasksByStatus(ctx.sql, projectIds)) {
    counts.get(row.projectId)![row.status] = row.count;
  }
  return counts;
}

/** The project behind an access decision (these routes show or change the row itself). */
async function loadProject(
  ctx: AppContext,
  userId: string,
  projectId: string,
  minimum: Role,
): Promise<ProjectRecord> {
  const { project } = await projectAccessFor(ctx.sql, userId, projectId, minimum);
  const found = await findProject(ctx.sql, project.id);
  if (!found) throw notFound('Project');
  return found;
}

/** Projects of a workspace: anyone in it reads them, admins and owners change them. */
export function projectsRoutes(ctx: AppContext, events: EventPublisher): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['projects'];

  route(
    {
      method: 'get',
      path: '/workspaces/:id/projects',
      summary: 'List the projects of a workspace (viewer+)',
      tags,
      request: { params: workspaceParams },
      responses: { 200: { description: 'Projects, oldest first', schema: z.array(projectOutput) } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'viewer');
      const projects = await findProjects(ctx.sql, params.id);
      const counts = await countTasks(
        ctx,
        projects.map((p) => p.id),
      );
      return projects.map((project) => presentProject(project, counts.get(project.id)));
    },
  );

  route(
    {
      method: 'post',
      path: '/workspaces/:id/projects',
      summary: 'Create a project (admin+)',
      tags,
      request: { params: workspaceParams, body: createProjectBody },
      responses: { 201: { description: 'Created', schema: projectOutput } },
    },
    async ({ user, params, body }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      return presentProject(await insertProject(ctx.sql, { workspaceId: params.id, ...body }));
    },
  );

  route(
    {
      method: 'get',
      path: '/projects/:id',
      summary: 'Read a project (viewer+)',
      tags,
      request: { params: projectParams },
      responses: { 200: { description: 'The project', schema: projectOutput } },
    },
    async ({ user, params }) => {
      const project = await loadProject(ctx, user.id, params.id, 'viewer');
      const counts = await countTasks(ctx, [project.id]);
      return presentProject(project, counts.get(project.id));
    },
  );

  route(
    {
      method: 'patch',
      path: '/projects/:id',
      summary: 'Rename, describe or archive a project (admin+)',
      tags,
      request: { params: projectParams, body: updateProjectBody },
      responses: { 200: { description: 'The updated project', schema: projectOutput } },
    },
    async ({ user, params, body }) => {
      await projectAccessFor(ctx.sql, user.id, params.id, 'admin');
      const project = await updateProject(ctx.sql, params.id, body);
      if (!project) throw notFound('Project');
      const counts = await countTasks(ctx, [project.id]);
      return presentProject(project, counts.get(project.id));
    },
  );

  route(
    {
      method: 'delete',
      path: '/projects/:id',
      summary:
        'Move a project with its tasks to the trash (admin+); POST /trash/project/{id}/restore undoes it',
      tags,
      request: { params: projectParams },
      responses: { 204: { description: 'Moved to the trash' } },
      transaction: true,
    },
    async ({ user, params, transaction }) => {
      const { project } = await projectAccessFor(ctx.sql, user.id, params.id, 'admin');
      if (!(await trashProjectRows(ctx.sql.in(transaction), params.id, user.id))) throw notFound('Project');
      transaction!.afterCommit(() =>
        afterCommit(ctx, events, [
          { workspaceId: project.workspaceId, type: 'project.deleted', data: { id: project.id } },
        ]),
      );
    },
  );

  return routes;
}
