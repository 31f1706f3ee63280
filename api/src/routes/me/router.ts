import { findUser } from '@taskstack/db/repositories';
import type { AppContext } from '../../context.js';
import { unauthorized } from '../../errors.js';
import { presentUser, userSchema } from '../../presenters/user.js';
import { defineRoutes, type RouteGroup } from '../define.js';

/** The signed-in account. */
export function meRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);

  route(
    {
      method: 'get',
      path: '/me',
      summary: 'The signed-in user',
      tags: ['me'],
      responses: { 200: { description: 'The account', schema: userSchema } },
    },
    async ({ user }) => {
      // A token can outlive its account by up to 15 minutes; a deleted account is signed out, not a 404.
      const account = await findUser(ctx.sql, user.id);
      if (!account) throw unauthorized();
      return presentUser(account, ctx.config);
    },
  );

  return routes;
}
