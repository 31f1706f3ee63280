import { Router } from 'express';
import type { AppContext } from '../context.js';

/** Accounts and tenancy: auth, /me, workspaces, members, invitations, instance admin. */
export function identityRoutes(_ctx: AppContext): Router {
  const router = Router();
  return router;
}
