import { findActivity } from '@taskstack/db/repositories';
import type { AppContext } from '../../context.js';
import { createdAtCursor, pageOf, toPage } from '../../pagination.js';
import { projectAccessFor } from '../../policies/board.js';
import { activityOutput, presentActivity } from '../../presenters/activity.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import { listActivityQuery, projectParams } from './schema.js';

/** A project's history, newest first: every task and comment change with who made it and what changed. */
export function activityRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);

  route(
    {
      method: 'get',
      path: '/projects/:id/activity',
      summary: "A project's activity, newest first (viewer+)",
      tags: ['activity'],
      request: { params: projectParams, query: listActivityQuery },
      responses: { 200: { description: 'A page of activity events', schema: pageOf(activityOutput) } },
    },
    async ({ user, params, query }) => {
      const { project } = await projectAccessFor(ctx.sql, user.id, params.id, 'viewer');
      const rows = await findActivity(ctx.sql, project.id, createdAtCursor(query.cursor), query.limit);
      return toPage(
        rows,
        query.limit,
        (row) => row.cursorKey,
        (row) => presentActivity(row.event),
      );
    },
  );

  return routes;
}
