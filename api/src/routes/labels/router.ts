import { Label } from '@taskstack/db';
import { Router } from 'express';
import { UniqueConstraintError } from 'sequelize';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { conflict } from '../../errors.js';
import { authenticate, currentUser } from '../../middlewares/authenticate.js';
import { validate } from '../../middlewares/validate.js';
import { jsonContent as json } from '../../openapi/json-content.js';
import { documentRoute } from '../../openapi/registry.js';
import { loadLabelFor } from '../../policies/board.js';
import { authorize } from '../../policies/membership.js';
import { labelOutput, presentLabel } from '../../presenters/label.js';
import { createLabelBody, labelParams, updateLabelBody, workspaceParams } from './schema.js';

/** Label names are unique per workspace (case-insensitively): a clash is a 409, not a 500. */
async function saving<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw conflict('A label with this name already exists.');
    throw error;
  }
}

/** Labels of a workspace: anyone in it reads them, admins and owners change them. */
export function labelsRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = authenticate(ctx);

  documentRoute({
    method: 'get',
    path: '/workspaces/:id/labels',
    summary: 'List the labels of a workspace (viewer+)',
    tags: ['labels'],
    request: { params: workspaceParams },
    responses: { 200: { description: 'Labels by name', ...json(z.array(labelOutput)) } },
  });
  router.get(
    '/workspaces/:id/labels',
    auth,
    validate({ params: workspaceParams })(async (req, res, { params }) => {
      await authorize(currentUser(req).id, params.id, 'viewer', 'Workspace');
      const labels = await Label.findAll({
        where: { workspaceId: params.id },
        order: [
          ['name', 'ASC'],
          ['id', 'ASC'],
        ],
      });
      res.json(labels.map(presentLabel));
    }),
  );

  documentRoute({
    method: 'post',
    path: '/workspaces/:id/labels',
    summary: 'Create a label (admin+); 409 when the name is taken',
    tags: ['labels'],
    request: { params: workspaceParams, body: json(createLabelBody) },
    responses: { 201: { description: 'Created', ...json(labelOutput) } },
  });
  router.post(
    '/workspaces/:id/labels',
    auth,
    validate({ params: workspaceParams, body: createLabelBody })(async (req, res, { params, body }) => {
      await authorize(currentUser(req).id, params.id, 'admin', 'Workspace');
      const label = await saving(() => Label.create({ workspaceId: params.id, ...body }));
      res.status(201).json(presentLabel(label));
    }),
  );

  documentRoute({
    method: 'patch',
    path: '/labels/:id',
    summary: 'Rename or recolour a label (admin+)',
    tags: ['labels'],
    request: { params: labelParams, body: json(updateLabelBody) },
    responses: { 200: { description: 'The updated label', ...json(labelOutput) } },
  });
  router.patch(
    '/labels/:id',
    auth,
    validate({ params: labelParams, body: updateLabelBody })(async (req, res, { params, body }) => {
      const label = await loadLabelFor(currentUser(req).id, params.id, 'admin');
      await saving(() => label.update(body));
      res.json(presentLabel(label));
    }),
  );

  documentRoute({
    method: 'delete',
    path: '/labels/:id',
    summary: 'Delete a label; tasks lose it (admin+)',
    tags: ['labels'],
    request: { params: labelParams },
    responses: { 204: { description: 'Deleted' } },
  });
  router.delete(
    '/labels/:id',
    auth,
    validate({ params: labelParams })(async (req, res, { params }) => {
      const label = await loadLabelFor(currentUser(req).id, params.id, 'admin');
      await label.destroy();
      res.status(204).end();
    }),
  );

  return router;
}
