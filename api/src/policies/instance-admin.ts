import { User } from '@taskstack/db';
import type { RequestHandler } from 'express';
import { isInstanceAdmin } from '../auth/instance-admin.js';
import type { AppContext } from '../context.js';
import { forbidden, unauthorized } from '../errors.js';

/**
 * Guards `/admin/*` (after `authenticate`): the routes are documented publicly, so a signed-in non-admin gets 403
 * rather than a pretend 404. Checked on every request, so removing someone from ADMIN_EMAILS takes effect at once.
 */
export function requireInstanceAdmin(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    const userId = req.user?.id;
    if (!userId) return next(unauthorized());
    User.findByPk(userId).then((user) => {
      if (!user) return next(unauthorized());
      if (!isInstanceAdmin(user, ctx.config))
        return next(forbidden('Only instance administrators can do this.'));
      next();
    }, next);
  };
}
