import { Membership, Workspace } from '@taskstack/db';
import { Router } from 'express';
import { QueryTypes } from 'sequelize';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { authenticate, currentUser } from '../../middlewares/authenticate.js';
import { validate } from '../../middlewares/validate.js';
import { jsonBody, jsonResponse } from '../../openapi/json.js';
import { documentRoute } from '../../openapi/registry.js';
import { authorize } from '../../policies/membership.js';
import { presentWorkspace, workspaceOutput } from '../../presenters/workspace.js';
import { createStorage } from '../../storage/index.js';
import { workspaceBody, workspaceParams } from './schema.js';

const tags = ['workspaces'];
documentRoute({
  method: 'get',
  path: '/workspaces',
  tags,
  summary: "The caller's workspaces, with their role in each",
  responses: { 200: jsonResponse('Workspaces, by name', z.array(workspaceOutput)) },
});
documentRoute({
  method: 'post',
  path: '/workspaces',
  tags,
  summary: 'Create a workspace; the caller becomes its owner',
  request: jsonBody(workspaceBody),
  responses: { 201: jsonResponse('Created', workspaceOutput) },
});
documentRoute({
  method: 'get',
  path: '/workspaces/:id',
  tags,
  summary: 'One workspace (viewer+)',
  request: { params: workspaceParams },
  responses: { 200: jsonResponse('The workspace', workspaceOutput) },
});
documentRoute({
  method: 'patch',
  path: '/workspaces/:id',
  tags,
  summary: 'Rename a workspace (owner)',
  request: { params: workspaceParams, ...jsonBody(workspaceBody) },
  responses: { 200: jsonResponse('Renamed', workspaceOutput), 403: { description: 'Not an owner' } },
});
documentRoute({
  method: 'delete',
  path: '/workspaces/:id',
  tags,
  summary: 'Delete a workspace and everything in it (owner)',
  request: { params: workspaceParams },
  responses: { 204: { description: 'Deleted' }, 403: { description: 'Not an owner' } },
});

/** Workspaces: every member reads theirs; the owner renames and deletes. */
export function workspacesRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = authenticate(ctx);
  const storage = createStorage(ctx.config);
  ctx.shutdownSignal.addEventListener('abort', () => storage.close?.(), { once: true });

  router.get(
    '/workspaces',
    auth,
    validate({})(async (req, res) => {
      const memberships = await Membership.findAll({
        where: { userId: currentUser(req).id },
        include: [{ model: Workspace, as: 'workspace', required: true }],
      });
      const items = memberships
        .map((m) => presentWorkspace(m.get('workspace') as Workspace, m.role))
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
      res.json(items);
    }),
  );

  router.post(
    '/workspaces',
    auth,
    validate({ body: workspaceBody })(async (req, res, { body }) => {
      const workspace = await ctx.sequelize.transaction(async (transaction) => {
        const created = await Workspace.create({ name: body.name }, { transaction });
        await Membership.create(
          { workspaceId: created.id, userId: currentUser(req).id, role: 'owner' },
          { transaction },
        );
        return created;
      });
      res.status(201).json(presentWorkspace(workspace, 'owner'));
    }),
  );

  router.get(
    '/workspaces/:id',
    auth,
    validate({ params: workspaceParams })(async (req, res, { params }) => {
      const membership = await authorize(currentUser(req).id, params.id, 'viewer', 'Workspace');
      const workspace = await Workspace.findByPk(params.id, { rejectOnEmpty: notFound('Workspace') });
      res.json(presentWorkspace(workspace, membership.role));
    }),
  );

  router.patch(
    '/workspaces/:id',
    auth,
    validate({ params: workspaceParams, body: workspaceBody })(async (req, res, { params, body }) => {
      await authorize(currentUser(req).id, params.id, 'owner', 'Workspace');
      const workspace = await Workspace.findByPk(params.id, { rejectOnEmpty: notFound('Workspace') });
      await workspace.update({ name: body.name });
      res.json(presentWorkspace(workspace, 'owner'));
    }),
  );

  router.delete(
    '/workspaces/:id',
    auth,
    validate({ params: workspaceParams })(async (req, res, { params }) => {
      await authorize(currentUser(req).id, params.id, 'owner', 'Workspace');
      // Rows go through ON DELETE CASCADE; the attachment files they name are removed after the commit.
      const keys = await ctx.sequelize.transaction(async (transaction) => {
        const rows = await ctx.sequelize.query<{ storage_key: string }>(
          `SELECT a.storage_key FROM attachments a JOIN tasks t ON t.id = a.task_id WHERE t.workspace_id = :id`,
          { replacements: { id: params.id }, type: QueryTypes.SELECT, transaction },
        );
        await Workspace.destroy({ where: { id: params.id }, transaction });
        return rows.map((row) => row.storage_key);
      });
      res.status(204).end();
      const results = await Promise.allSettled(keys.map((key) => storage.remove(key)));
      const failed = results.filter((r) => r.status === 'rejected').length;
      if (failed) req.log.warn({ failed }, 'attachment files of a deleted workspace not removed');
    }),
  );

  return router;
}
