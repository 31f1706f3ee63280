import type { Role } from '@taskstack/db';
import { memberAccess, type MemberAccess, type Queryable } from '@taskstack/db/repositories';
import { apiTokenGrant } from '../auth/api-token.js';
import { forbidden, notFound, totpEnrolmentRequired } from '../errors.js';

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** True when `role` is at least `minimum` in owner > admin > member > viewer. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/**
 * The tenant check of a workspace's own routes: a non-member gets 404 (the workspace's existence is not revealed),
 * a member below `minimum` gets 403. Returns the caller's role for further decisions.
 */
export async function workspaceAccessFor(
  db: Queryable,
  userId: string,
  workspaceId: string,
  minimum: Role,
  what = 'Workspace',
): Promise<{ role: Role }> {
  const access = await memberAccess(db, workspaceId, userId);
  checkRole(access, workspaceId, minimum, what);
  return { role: access!.role! };
}

/**
 * The decision of every access loader on the caller's standing already read in `workspaceId` (undefined or a null
 * role: not a member). A request made with an API token is also held to the token's grant: another workspace is as
 * unknown as one the caller is not in, and a read-only token acts as a viewer. A member of a workspace that requires
 * two-factor sign-in gets 403 until they set it up, whatever their role.
 */
export function checkRole(
  access: MemberAccess | undefined,
  workspaceId: string,
  minimum: Role,
  what = 'Resource',
): void {
  const role = access?.role;
  const grant = apiTokenGrant.getStore();
  if (!role || (grant && grant.workspaceId !== workspaceId)) throw notFound(what);
  if (access.totpMissing) throw totpEnrolmentRequired();
  if (grant?.scope === 'read' && minimum !== 'viewer') throw forbidden('This API token can only read.');
  if (!roleAtLeast(role, minimum)) throw forbidden();
}
