import { Router } from 'express';
import type { AppContext } from '../context.js';
import { adminRouter } from './admin/router.js';
import { authRouter } from './auth/router.js';
import { calendarRouter } from './calendar/router.js';
import { invitationsRouter } from './invitations/router.js';
import { meRouter } from './me/router.js';
import { oidcRouter } from './oidc/router.js';
import { membersRouter } from './members/router.js';
import { sessionsRouter } from './sessions/router.js';
import { tokensRouter } from './tokens/router.js';
import { totpRouter } from './totp/router.js';
import { webhooksRouter } from './webhooks/router.js';
import { workspacesRouter } from './workspaces/router.js';

/** Accounts and tenancy: auth (passwords, OIDC), /me, API tokens, the iCal feed, sessions, workspaces, members, invitations, webhooks,
 * instance admin. */
export function identityRoutes(ctx: AppContext): Router {
  const router = Router();
  router.use(authRouter(ctx));
  router.use(oidcRouter(ctx));
  router.use(meRouter(ctx));
  router.use(tokensRouter(ctx));
  router.use(calendarRouter(ctx));
  router.use(sessionsRouter(ctx));
  router.use(totpRouter(ctx));
  router.use(workspacesRouter(ctx));
  router.use(membersRouter(ctx));
  router.use(invitationsRouter(ctx));
  router.use(webhooksRouter(ctx));
  router.use(adminRouter(ctx));
  return router;
}
