import type { Role } from '@taskstack/db';
import { memberRole, type Queryable } from '@taskstack/db/repositories';
import { apiTokenGrant } from '../auth/api-token.js';
import { forbidden, notFound } from '../errors.js';

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
  const role = await memberRole(db, workspaceId, userId);
  checkRole(role, workspaceId, minimum, what);
  return { role: role! };
}

/**
 * The decision of every access loader on a role already read (null or undefined: not a member) in `workspaceId`.
 * A request made with an API token is also held to the token's grant: another workspace is as unknown as one the
 * caller is not in, and a read-only token acts as a viewer.
 */
export function checkRole(
  role: Role | null | undefined,
  workspaceId: string,
  minimum: Role,
  what = 'Resource',
): void {
  const grant = apiTokenGrant.getStore();
  if (!role || (grant && grant.workspaceId !== workspaceId)) throw notFound(what);
  if (grant?.scope === 'read' && minimum !== 'viewer') throw forbidden('This API token can only read.');
  if (!roleAtLeast(role, minimum)) throw forbidden();
}
