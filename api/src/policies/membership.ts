import { Membership, type Role } from '@taskstack/db';
import { memberRole, type Queryable } from '@taskstack/db/repositories';
import type { Transaction } from 'sequelize';
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
  checkRole(role, minimum, what);
  return { role: role! };
}

/**
 * `workspaceAccessFor` on the Membership model, for the routes that still read it (workspaces, members,
 * invitations) until they move to the repositories. The one tenant check every route goes through: a non-member gets 404 (the workspace's existence is not
 * revealed), a member below `minimum` gets 403. Returns the membership for further decisions.
 */
export async function authorize(
  userId: string,
  workspaceId: string,
  minimum: Role,
  what = 'Resource',
  transaction?: Transaction,
): Promise<Membership> {
  const membership = await Membership.findOne({ where: { userId, workspaceId }, transaction });
  checkRole(membership?.role, minimum, what);
  return membership!;
}

/** The decision of `authorize` on a role already read (null or undefined: not a member). */
export function checkRole(role: Role | null | undefined, minimum: Role, what = 'Resource'): void {
  if (!role) throw notFound(what);
  if (!roleAtLeast(role, minimum)) throw forbidden();
}
