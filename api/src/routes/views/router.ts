import {
  countOwnSavedViews,
  deleteSavedView,
  findSavedViews,
  insertSavedView,
  isUniqueViolation,
  updateSavedView,
} from '@taskstack/db/repositories';
import { z } from 'zod';
import {
  createViewBody,
  projectParams,
  updateViewBody,
  viewParams,
} from '../../commands/saved-views/schema.js';
import type { AppContext } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { projectAccessFor } from '../../policies/board.js';
import { checkSharing, checkViewChange, savedViewFor } from '../../policies/saved-view.js';
import { presentSavedView, savedViewOutput } from '../../presenters/saved-view.js';
import { defineRoutes, type RouteGroup } from '../define.js';

/** A person keeps a handful of views per project; far more is a script gone wrong. */
export const MAX_VIEWS_PER_PROJECT = 50;

/** Each person's view names are unique per project (case-insensitively): a clash is a 409, not a 500. */
async function saving<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('You already have a view with this name in this project.');
    throw error;
  }
}

/**
 * Saved views: filters and a sort in a view of a project, kept for oneself (anyone who can read the project) or
 * shared with the project (member+); changed by whoever saved them, and shared ones also by admins.
 */
export function savedViewsRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['views'];

  route(
    {
      method: 'get',
      path: '/projects/:id/views',
      summary: "The caller's own views of a project and the shared ones, by name (viewer+)",
      tags,
      request: { params: projectParams },
      responses: { 200: { description: 'Views', schema: z.array(savedViewOutput) } },
    },
    async ({ user, params }) => {
      await projectAccessFor(ctx.sql, user.id, params.id, 'viewer');
      return (await findSavedViews(ctx.sql, params.id, user.id)).map((v) => presentSavedView(v, user.id));
    },
  );

  route(
    {
      method: 'post',
      path: '/projects/:id/views',
      summary: 'Save a view (viewer+; shared: member+); 409 when the name is taken or the cap is reached',
      description: `At most ${MAX_VIEWS_PER_PROJECT} views per person and project.`,
      tags,
      request: { params: projectParams, body: createViewBody },
      responses: { 201: { description: 'Saved', schema: savedViewOutput } },
    },
    async ({ user, params, body }) => {
      const { role } = await projectAccessFor(ctx.sql, user.id, params.id, 'viewer');
      checkSharing(role, body.shared);
      if ((await countOwnSavedViews(ctx.sql, params.id, user.id)) >= MAX_VIEWS_PER_PROJECT) {
        throw conflict(`You keep ${MAX_VIEWS_PER_PROJECT} views in this project already: delete one first.`);
      }
      const view = await saving(() =>
        insertSavedView(ctx.sql, { projectId: params.id, ownerId: user.id, ...body }),
      );
      return presentSavedView(view, user.id);
    },
  );

  route(
    {
      method: 'patch',
      path: '/views/:id',
      summary: 'Rename a view, change its filters, or share it (its owner; a shared one also admin+)',
      tags,
      request: { params: viewParams, body: updateViewBody },
      responses: { 200: { description: 'The updated view', schema: savedViewOutput } },
    },
    async ({ user, params, body }) => {
      const { view, role } = await savedViewFor(ctx.sql, user.id, params.id);
      checkViewChange(view, user.id, role, body.shared === true && !view.shared);
      const updated = await saving(() => updateSavedView(ctx.sql, params.id, body));
      if (!updated) throw notFound('View');
      return presentSavedView(updated, user.id);
    },
  );

  route(
    {
      method: 'delete',
      path: '/views/:id',
      summary: 'Delete a view (its owner; a shared one also admin+)',
      tags,
      request: { params: viewParams },
      responses: { 204: { description: 'Deleted' } },
    },
    async ({ user, params }) => {
      const { view, role } = await savedViewFor(ctx.sql, user.id, params.id);
      checkViewChange(view, user.id, role, false);
      await deleteSavedView(ctx.sql, params.id);
    },
  );

  return routes;
}
