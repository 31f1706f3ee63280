import { Membership, Workspace, type Role } from '@taskstack/db';
import type { Transaction } from 'sequelize';
import { conflict, forbidden, notFound } from '../errors.js';
import { roleAtLeast } from './membership.js';

/**
 * Locks the workspace row for the rest of the transaction, so two concurrent changes to its owners (two owners
 * demoting each other) are serialised and the last-owner check cannot be raced. NO KEY UPDATE leaves inserts of
 * rows referencing the workspace (tasks, projects) unblocked.
 */
export async function lockWorkspace(workspaceId: string, transaction: Transaction): Promise<void> {
  const workspace = await Workspace.findByPk(workspaceId, {
    transaction,
    lock: transaction.LOCK.NO_KEY_UPDATE,
  });
  if (!workspace) throw notFound('Workspace');
}

/** The membership of `userId` in the workspace, or 404 (ids of non-members look like unknown ids). */
export async function loadMembership(
  workspaceId: string,
  userId: string,
  transaction: Transaction,
): Promise<Membership> {
  const membership = await Membership.findOne({ where: { workspaceId, userId }, transaction });
  if (!membership) throw notFound('Member');
  return membership;
}

/** 409 when `target` is the workspace's only owner: a workspace must always keep one. */
async function keepOneOwner(target: Membership, transaction: Transaction): Promise<void> {
  if (target.role !== 'owner') return;
  const owners = await Membership.count({
    where: { workspaceId: target.workspaceId, role: 'owner' },
    transaction,
  });
  if (owners <= 1) throw conflict('A workspace needs an owner: make someone else owner first.');
}

/**
 * Role changes: admins manage viewers, members and admins; only an owner may touch an owner or make someone
 * owner (that is how ownership is transferred); the last owner cannot be demoted.
 */
export async function assertCanChangeRole(
  actor: Membership,
  target: Membership,
  role: Role,
  transaction: Transaction,
): Promise<void> {
  if (!roleAtLeast(actor.role, 'admin')) throw forbidden();
  if ((target.role === 'owner' || role === 'owner') && actor.role !== 'owner') {
    throw forbidden('Only an owner can change ownership.');
  }
  if (role !== 'owner') await keepOneOwner(target, transaction);
}

/** Removal: anyone may leave; admins remove non-owners; owners remove anyone; never the last owner. */
export async function assertCanRemove(
  actor: Membership,
  target: Membership,
  transaction: Transaction,
): Promise<void> {
  const leaving = actor.userId === target.userId;
  if (!leaving) {
    if (!roleAtLeast(actor.role, 'admin')) throw forbidden();
    if (target.role === 'owner' && actor.role !== 'owner')
      throw forbidden('Only an owner can remove an owner.');
  }
  await keepOneOwner(target, transaction);
}
