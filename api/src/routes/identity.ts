import type { AppContext } from '../context.js';
import type { RouteGroup } from './define.js';
import { adminRoutes } from './admin/router.js';
import { authRoutes } from './auth/router.js';
import { calendarRoutes } from './calendar/router.js';
import { invitationsRoutes } from './invitations/router.js';
import { meRoutes } from './me/router.js';
import { oidcRoutes } from './oidc/router.js';
import { membersRoutes } from './members/router.js';
import { sessionsRoutes } from './sessions/router.js';
import { tokensRoutes } from './tokens/router.js';
import { totpRoutes } from './totp/router.js';
import { webhooksRoutes } from './webhooks/router.js';
import { workspacesRoutes } from './workspaces/router.js';

/** Accounts and tenancy: auth (passwords, OIDC), /me, API tokens, the iCal feed, sessions, workspaces, members, invitations, webhooks,
 * instance admin. */
export function identityRoutes(ctx: AppContext): RouteGroup[] {
  return [
    authRoutes(ctx),
    oidcRoutes(ctx),
    meRoutes(ctx),
    tokensRoutes(ctx),
    calendarRoutes(ctx),
    sessionsRoutes(ctx),
    totpRoutes(ctx),
    workspacesRoutes(ctx),
    membersRoutes(ctx),
    invitationsRoutes(ctx),
    webhooksRoutes(ctx),
    adminRoutes(ctx),
  ];
}
