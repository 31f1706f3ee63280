import type { Role } from '@taskstack/db';
import {
  countOwners,
  findMember,
  lockWorkspace as lockWorkspaceRow,
  type MemberRecord,
  type MembershipRecord,
  type Queryable,
} from '@taskstack/db/repositories';
import { conflict, forbidden, notFound } from '../errors.js';
import { roleAtLeast } from './membership.js';

/** What the rules below read of a membership. */
type Member = Pick<MembershipRecord, 'workspaceId' | 'userId' | 'role'>;

/**
 * Locks the workspace row for the rest of the transaction, so two concurrent changes to its owners (two owners
 * demoting each other) are serialised and the last-owner check cannot be raced; 404 when there is none.
 */
export async function lockWorkspace(db: Queryable, workspaceId: string): Promise<void> {
  if (!(await lockWorkspaceRow(db, workspaceId))) throw notFound('Workspace');
}

/** The member `userId` of the workspace, or 404 (ids of non-members look like unknown ids). */
export async function loadMember(db: Queryable, workspaceId: string, userId: string): Promise<MemberRecord> {
  const member = await findMember(db, workspaceId, userId);
  if (!member) throw notFound('Member');
  return member;
}

/** 409 when `target` is the workspace's only owner: a workspace must always keep one. */
async function keepOneOwner(db: Queryable, target: Member): Promise<void> {
  if (target.role !== 'owner') return;
  if ((await countOwners(db, target.workspaceId)) <= 1) {
    throw conflict('A workspace needs an owner: make someone else owner first.');
  }
}

/**
 * Role changes: admins manage viewers, members and admins; only an owner may touch an owner or make someone
 * owner (that is how ownership is transferred); the last owner cannot be demoted.
 */
export async function assertCanChangeRole(
  db: Queryable,
  actor: Member,
  target: Member,
  role: Role,
): Promise<void> {
  if (!roleAtLeast(actor.role, 'admin')) throw forbidden();
  if ((target.role === 'owner' || role === 'owner') && actor.role !== 'owner') {
    throw forbidden('Only an owner can change ownership.');
  }
  if (role !== 'owner') await keepOneOwner(db, target);
}

/** Removal: anyone may leave; admins remove non-owners; owners remove anyone; never the last owner. */
export async function assertCanRemove(db: Queryable, actor: Member, target: Member): Promise<void> {
  const leaving = actor.userId === target.userId;
  if (!leaving) {
    if (!roleAtLeast(actor.role, 'admin')) throw forbidden();
    if (target.role === 'owner' && actor.role !== 'owner')
      throw forbidden('Only an owner can remove an owner.');
  }
  await keepOneOwner(db, target);
}
