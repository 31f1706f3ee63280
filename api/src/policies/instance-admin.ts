import { findUser } from '@taskstack/db/repositories';
import type { RequestHandler } from 'express';
import { isInstanceAdmin } from '../auth/instance-admin.js';
import type { AppContext } from '../context.js';
import { forbidden, unauthorized } from '../errors.js';

/**
 * Guards the `/admin/*` routes (after `authenticate`): the routes are documented publicly, so a signed-in non-admin
 * gets 403 rather than a pretend 404. Checked on every request, so removing someone from ADMIN_EMAILS takes effect
 * at once.
 */
export function requireInstanceAdmin(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    const userId = req.user?.id;
    if (!userId) return next(unauthorized());
    findUser(ctx.sql, userId).then((user) => {
      if (!user) return next(unauthorized());
      if (!isInstanceAdmin(user, ctx.config))
        return next(forbidden('Only instance administrators can do this.'));
      next();
    }, next);
  };
}
