import { Project, type Role } from '@taskstack/db';
import { notFound } from '../../errors.js';
import { Router } from 'express';
import { QueryTypes } from 'sequelize';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { authenticate, currentUser } from '../../middlewares/authenticate.js';
import { validate } from '../../middlewares/validate.js';
import { jsonContent as json } from '../../openapi/json-content.js';
import { documentRoute } from '../../openapi/registry.js';
import { authorize } from '../../policies/membership.js';
import { projectAccessFor } from '../../policies/board.js';
import { emptyTaskCounts, presentProject, projectOutput, type TaskCounts } from '../../presenters/project.js';
import { createProjectBody, projectParams, updateProjectBody, workspaceParams } from './schema.js';

/** Task counts per status for many projects in one query, so the project list costs a constant number of queries. */
async function countTasks(ctx: AppContext, projectIds: string[]): Promise<Map<string, TaskCounts>> {
  const counts = new Map(projectIds.map((id) => [id, emptyTaskCounts()]));
  if (projectIds.length === 0) return counts;
  const rows = await ctx.sequelize.query<{ project_id: string; status: keyof TaskCounts; n: string }>(
    `SELECT project_id, status, count(*) AS n FROM tasks WHERE project_id IN (:ids) GROUP BY 1, 2`,
    { replacements: { ids: projectIds }, type: QueryTypes.SELECT },
  );
  for (const row of rows) counts.get(row.project_id)![row.status] = Number(row.n);
  return counts;
}

/** The project model behind an access decision (these routes change the row itself). */
async function loadProject(
  ctx: AppContext,
  userId: string,
  projectId: string,
  minimum: Role,
): Promise<Project> {
  const { project } = await projectAccessFor(ctx.sql, userId, projectId, minimum);
  const found = await Project.findByPk(project.id);
  if (!found) throw notFound('Project');
  return found;
}

/** Projects of a workspace: anyone in it reads them, admins and owners change them. */
export function projectsRouter(ctx: AppContext, removeFiles: (keys: string[]) => Promise<void>): Router {
  const router = Router();
  const auth = authenticate(ctx);

  documentRoute({
    method: 'get',
    path: '/workspaces/:id/projects',
    summary: 'List the projects of a workspace (viewer+)',
    tags: ['projects'],
    request: { params: workspaceParams },
    responses: { 200: { description: 'Projects, oldest first', ...json(z.array(projectOutput)) } },
  });
  router.get(
    '/workspaces/:id/projects',
    auth,
    validate({ params: workspaceParams })(async (req, res, { params }) => {
      await authorize(currentUser(req).id, params.id, 'viewer', 'Workspace');
      const projects = await Project.findAll({
        where: { workspaceId: params.id },
        order: [
          ['createdAt', 'ASC'],
          ['id', 'ASC'],
        ],
      });
      const counts = await countTasks(
        ctx,
        projects.map((p) => p.id),
      );
      res.json(projects.map((project) => presentProject(project, counts.get(project.id))));
    }),
  );

  documentRoute({
    method: 'post',
    path: '/workspaces/:id/projects',
    summary: 'Create a project (admin+)',
    tags: ['projects'],
    request: { params: workspaceParams, body: json(createProjectBody) },
    responses: { 201: { description: 'Created', ...json(projectOutput) } },
  });
  router.post(
    '/workspaces/:id/projects',
    auth,
    validate({ params: workspaceParams, body: createProjectBody })(async (req, res, { params, body }) => {
      await authorize(currentUser(req).id, params.id, 'admin', 'Workspace');
      const project = await Project.create({ workspaceId: params.id, ...body });
      res.status(201).json(presentProject(project));
    }),
  );

  documentRoute({
    method: 'get',
    path: '/projects/:id',
    summary: 'Read a project (viewer+)',
    tags: ['projects'],
    request: { params: projectParams },
    responses: { 200: { description: 'The project', ...json(projectOutput) } },
  });
  router.get(
    '/projects/:id',
    auth,
    validate({ params: projectParams })(async (req, res, { params }) => {
      const project = await loadProject(ctx, currentUser(req).id, params.id, 'viewer');
      const counts = await countTasks(ctx, [project.id]);
      res.json(presentProject(project, counts.get(project.id)));
    }),
  );

  documentRoute({
    method: 'patch',
    path: '/projects/:id',
    summary: 'Rename, describe or archive a project (admin+)',
    tags: ['projects'],
    request: { params: projectParams, body: json(updateProjectBody) },
    responses: { 200: { description: 'The updated project', ...json(projectOutput) } },
  });
  router.patch(
    '/projects/:id',
    auth,
    validate({ params: projectParams, body: updateProjectBody })(async (req, res, { params, body }) => {
      const project = await loadProject(ctx, currentUser(req).id, params.id, 'admin');
      await project.update(body);
      const counts = await countTasks(ctx, [project.id]);
      res.json(presentProject(project, counts.get(project.id)));
    }),
  );

  documentRoute({
    method: 'delete',
    path: '/projects/:id',
    summary: 'Delete a project with its tasks, comments and attachments (admin+)',
    tags: ['projects'],
    request: { params: projectParams },
    responses: { 204: { description: 'Deleted' } },
  });
  router.delete(
    '/projects/:id',
    auth,
    validate({ params: projectParams })(async (req, res, { params }) => {
      const project = await loadProject(ctx, currentUser(req).id, params.id, 'admin');
      const keys = await ctx.sequelize.transaction(async (transaction) => {
        const rows = await ctx.sequelize.query<{ storage_key: string }>(
          `SELECT a.storage_key FROM attachments a JOIN tasks t ON t.id = a.task_id WHERE t.project_id = :id`,
          { replacements: { id: project.id }, type: QueryTypes.SELECT, transaction },
        );
        await project.destroy({ transaction });
        return rows.map((row) => row.storage_key);
      });
      res.status(204).end();
      await removeFiles(keys);
    }),
  );

  return router;
}
