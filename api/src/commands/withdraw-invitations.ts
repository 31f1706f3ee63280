import { Invitation, type Role } from '@taskstack/db';
import type { Transaction } from 'sequelize';
import { roleAtLeast } from '../policies/membership.js';

/**
 * Withdraws the pending invitations `userId` sent into a workspace, when they leave it or drop below admin: a
 * link they mailed out must not keep letting people in on an authority they no longer hold.
 */
export async function withdrawInvitationsOf(
  workspaceId: string,
  userId: string,
  roleNow: Role | undefined,
  transaction: Transaction,
): Promise<void> {
  if (roleNow && roleAtLeast(roleNow, 'admin')) return;
  await Invitation.destroy({ where: { workspaceId, invitedById: userId, acceptedAt: null }, transaction });
}
