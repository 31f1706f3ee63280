import {
  deleteWorkspace,
  findWorkspace,
  insertWorkspace,
  findTotp,
  renameWorkspace,
  setWorkspaceRequireTotp,
  workspacesOf,
} from '@taskstack/db/repositories';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import { presentWorkspace, workspaceOutput } from '../../presenters/workspace.js';
import { createStorage } from '../../storage/index.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import { workspaceBody, workspaceParams, workspaceSecurityBody } from './schema.js';

/** Workspaces: every member reads theirs; the owner renames and deletes. */
export function workspacesRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const storage = createStorage(ctx.config);
  ctx.shutdownSignal.addEventListener('abort', () => storage.close?.(), { once: true });
  const tags = ['workspaces'];

  route(
    {
      method: 'get',
      path: '/workspaces',
      summary: "The caller's workspaces, with their role in each",
      tags,
      responses: { 200: { description: 'Workspaces, by name', schema: z.array(workspaceOutput) } },
    },
    async ({ user }) =>
      (await workspacesOf(ctx.sql, user.id))
        .map(({ workspace, role }) => presentWorkspace(workspace, role))
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
  );

  route(
    {
      method: 'post',
      path: '/workspaces',
      summary: 'Create a workspace; the caller becomes its owner',
      tags,
      request: { body: workspaceBody },
      responses: { 201: { description: 'Created', schema: workspaceOutput } },
    },
    async ({ user, body }) => presentWorkspace(await insertWorkspace(ctx.sql, body.name, user.id), 'owner'),
  );

  route(
    {
      method: 'get',
      path: '/workspaces/:id',
      summary: 'One workspace (viewer+)',
      tags,
      request: { params: workspaceParams },
      responses: { 200: { description: 'The workspace', schema: workspaceOutput } },
    },
    async ({ user, params }) => {
      const { role } = await workspaceAccessFor(ctx.sql, user.id, params.id, 'viewer');
      const workspace = await findWorkspace(ctx.sql, params.id);
      if (!workspace) throw notFound('Workspace');
      return presentWorkspace(workspace, role);
    },
  );

  route(
    {
      method: 'patch',
      path: '/workspaces/:id',
      summary: 'Rename a workspace (owner)',
      tags,
      request: { params: workspaceParams, body: workspaceBody },
      responses: {
        200: { description: 'Renamed', schema: workspaceOutput },
        403: { description: 'Not an owner' },
      },
    },
    async ({ user, params, body }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'owner');
      const workspace = await renameWorkspace(ctx.sql, params.id, body.name);
      if (!workspace) throw notFound('Workspace');
      return presentWorkspace(workspace, 'owner');
    },
  );

  route(
    {
      method: 'patch',
      path: '/workspaces/:id/security',
      summary: 'Require two-factor sign-in of every member, or stop requiring it (owner)',
      description:
        "Turning it on needs two-factor sign-in on the owner's own account, so they are not locked out.",
      tags,
      request: { params: workspaceParams, body: workspaceSecurityBody },
      responses: {
        200: { description: 'Saved', schema: workspaceOutput },
        403: { description: 'Not an owner' },
        409: { description: 'The owner has no two-factor sign-in yet' },
      },
    },
    async ({ user, params, body }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'owner');
      if (body.requireTotp && !(await findTotp(ctx.sql, user.id))?.confirmedAt) {
        throw conflict('Turn on two-factor sign-in for your own account first (Account security).');
      }
      const workspace = await setWorkspaceRequireTotp(ctx.sql, params.id, body.requireTotp);
      if (!workspace) throw notFound('Workspace');
      return presentWorkspace(workspace, 'owner');
    },
  );

  route(
    {
      method: 'delete',
      path: '/workspaces/:id',
      summary: 'Delete a workspace and everything in it (owner)',
      tags,
      request: { params: workspaceParams },
      responses: { 204: { description: 'Deleted' }, 403: { description: 'Not an owner' } },
      transaction: true,
    },
    async ({ user, params, transaction, req }) => {
      const db = ctx.sql.in(transaction);
      await workspaceAccessFor(db, user.id, params.id, 'owner');
      // Rows go through ON DELETE CASCADE; the files they name are removed once that is committed.
      const keys = await deleteWorkspace(db, params.id);
      transaction!.afterCommit(async () => {
        const results = await Promise.allSettled(keys.map((key) => storage.remove(key)));
        const failed = results.filter((r) => r.status === 'rejected').length;
        if (failed) req.log.warn({ failed }, 'files of a deleted workspace not removed');
      });
    },
  );

  return routes;
}
