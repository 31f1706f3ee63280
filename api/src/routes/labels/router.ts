import {
  deleteLabel,
  findLabels,
  insertLabel,
  isUniqueViolation,
  updateLabel,
} from '@taskstack/db/repositories';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { labelAccessFor } from '../../policies/board.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import { labelOutput, presentLabel } from '../../presenters/label.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import { createLabelBody, labelParams, updateLabelBody, workspaceParams } from './schema.js';

/** Label names are unique per workspace (case-insensitively): a clash is a 409, not a 500. */
async function saving<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('A label with this name already exists.');
    throw error;
  }
}

/** Labels of a workspace: anyone in it reads them, admins and owners change them. */
export function labelsRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['labels'];

  route(
    {
      method: 'get',
      path: '/workspaces/:id/labels',
      summary: 'List the labels of a workspace (viewer+)',
      tags,
      request: { params: workspaceParams },
      responses: { 200: { description: 'Labels by name', schema: z.array(labelOutput) } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'viewer');
      return (await findLabels(ctx.sql, params.id)).map(presentLabel);
    },
  );

  route(
    {
      method: 'post',
      path: '/workspaces/:id/labels',
      summary: 'Create a label (admin+); 409 when the name is taken',
      tags,
      request: { params: workspaceParams, body: createLabelBody },
      responses: { 201: { description: 'Created', schema: labelOutput } },
    },
    async ({ user, params, body }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      return presentLabel(await saving(() => insertLabel(ctx.sql, { workspaceId: params.id, ...body })));
    },
  );

  route(
    {
      method: 'patch',
      path: '/labels/:id',
      summary: 'Rename or recolour a label (admin+)',
      tags,
      request: { params: labelParams, body: updateLabelBody },
      responses: { 200: { description: 'The updated label', schema: labelOutput } },
    },
    async ({ user, params, body }) => {
      await labelAccessFor(ctx.sql, user.id, params.id, 'admin');
      const label = await saving(() => updateLabel(ctx.sql, params.id, body));
      if (!label) throw notFound('Label');
      return presentLabel(label);
    },
  );

  route(
    {
      method: 'delete',
      path: '/labels/:id',
      summary: 'Delete a label; tasks lose it (admin+)',
      tags,
      request: { params: labelParams },
      responses: { 204: { description: 'Deleted' } },
    },
    async ({ user, params }) => {
      await labelAccessFor(ctx.sql, user.id, params.id, 'admin');
      await deleteLabel(ctx.sql, params.id);
    },
  );

  return routes;
}
