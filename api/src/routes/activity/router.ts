import { ActivityEvent } from '@taskstack/db';
import { Router } from 'express';
import { Op } from 'sequelize';
import type { AppContext } from '../../context.js';
import { authenticate, currentUser } from '../../middlewares/authenticate.js';
import { validate } from '../../middlewares/validate.js';
import { jsonContent as json } from '../../openapi/json-content.js';
import { documentRoute } from '../../openapi/registry.js';
import { createdAtKey, createdAtKeyset, pageOf, toPage } from '../../pagination.js';
import { projectAccessFor } from '../../policies/board.js';
import { activityOutput, presentActivity } from '../../presenters/activity.js';
import { listActivityQuery, projectParams } from './schema.js';

/** A project's history, newest first: every task and comment change with who made it and what changed. */
export function activityRouter(ctx: AppContext): Router {
  const router = Router();

  documentRoute({
    method: 'get',
    path: '/projects/:id/activity',
    summary: "A project's activity, newest first (viewer+)",
    tags: ['activity'],
    request: { params: projectParams, query: listActivityQuery },
    responses: { 200: { description: 'A page of activity events', ...json(pageOf(activityOutput)) } },
  });
  router.get(
    '/projects/:id/activity',
    authenticate(ctx),
    validate({ params: projectParams, query: listActivityQuery })(async (req, res, { params, query }) => {
      const { project } = await projectAccessFor(ctx.sql, currentUser(req).id, params.id, 'viewer');
      const keyset = createdAtKeyset(query.cursor, 'DESC');
      const rows = await ActivityEvent.findAll({
        where: { [Op.and]: [{ projectId: project.id }, ...(keyset.where ? [keyset.where] : [])] },
        replacements: keyset.replacements,
        attributes: keyset.attributes,
        order: keyset.order,
        limit: query.limit + 1,
      });
      res.json(toPage(rows, query.limit, createdAtKey, presentActivity));
    }),
  );

  return router;
}
