import { Router } from 'express';
import type { AppContext } from '../context.js';
import { authRouter } from './auth/router.js';
import { meRouter } from './me/router.js';

/** Accounts and tenancy: auth, /me, workspaces, members, invitations, instance admin. */
export function identityRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(authRouter(ctx));
  router.use(meRouter(ctx));
  return router;
}
