import type { Role } from '@taskstack/db';
import { withdrawInvitationsBy, type Queryable } from '@taskstack/db/repositories';
import { roleAtLeast } from '../policies/membership.js';

/**
 * Withdraws the pending invitations `userId` sent into a workspace, when they leave it or drop below admin: a
 * link they mailed out must not keep letting people in on an authority they no longer hold.
 */
export async function withdrawInvitationsOf(
  db: Queryable,
  workspaceId: string,
  userId: string,
  roleNow: Role | undefined,
): Promise<void> {
  if (roleNow && roleAtLeast(roleNow, 'admin')) return;
  await withdrawInvitationsBy(db, workspaceId, userId);
}
