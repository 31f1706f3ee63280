import { z } from 'zod';
import { listSessions } from '../../commands/list-sessions.js';
import { revokeSessionOfUser } from '../../commands/sessions.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { sessionOutput } from '../../presenters/session.js';
import { defineRoutes, type RouteGroup } from '../define.js';

const sessionParams = z.object({ id: z.uuid() }).strict();

/** The caller's signed-in sessions (browsers), listed and ended from a session only: API tokens do not reach them. */
export function sessionsRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['sessions'];

  route(
    {
      method: 'get',
      path: '/me/sessions',
      summary: 'Your signed-in sessions, most recently seen first; `current` is this one',
      tags,
      responses: { 200: { description: 'Sessions', schema: z.object({ items: z.array(sessionOutput) }) } },
    },
    async ({ user }) => listSessions(ctx, user.id, user.sessionId),
  );

  route(
    {
      method: 'delete',
      path: '/me/sessions/:id',
      summary: 'Sign a session out: its refresh cookie, access tokens and event streams stop working',
      tags,
      request: { params: sessionParams },
      responses: { 204: { description: 'Ended' } },
    },
    async ({ user, params }) => {
      if (!(await revokeSessionOfUser(ctx, user.id, params.id))) throw notFound('Session');
    },
  );

  return routes;
}
