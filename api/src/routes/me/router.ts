import { User } from '@taskstack/db';
import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { unauthorized } from '../../errors.js';
import { authenticate, currentUser } from '../../middlewares/authenticate.js';
import { validate } from '../../middlewares/validate.js';
import { documentRoute } from '../../openapi/registry.js';
import { jsonResponse } from '../../openapi/json.js';
import { presentUser, userSchema } from '../../presenters/user.js';

documentRoute({
  method: 'get',
  path: '/me',
  tags: ['me'],
  summary: 'The signed-in user',
  responses: { 200: jsonResponse('The account', userSchema) },
});

/** The signed-in account. */
export function meRouter(ctx: AppContext): Router {
  const router = Router();
  router.get(
    '/me',
    authenticate(ctx),
    validate({})(async (req, res) => {
      // A token can outlive its account by up to 15 minutes; a deleted account is signed out, not a 404.
      const user = await User.findByPk(currentUser(req).id);
      if (!user) throw unauthorized();
      res.json(presentUser(user, ctx.config));
    }),
  );
  return router;
}
