import { countPendingInvitations, type Queryable } from '@taskstack/db/repositories';
import { conflict } from '../errors.js';
import type { LimitSpec } from '../middlewares/rate-limit.js';

/**
 * Every invitation sends an email to an address the inviter chooses: without a cap, one admin account (or a stolen
 * token) could mail thousands of strangers from the instance's domain and ruin its sender reputation.
 */
export const INVITATIONS_PER_INVITER: LimitSpec = { name: 'invite-user', points: 20, durationSeconds: 3600 };

/** Pending (unaccepted, unexpired) invitations one workspace may hold; withdrawing or expiry frees room. */
export const PENDING_INVITATIONS_PER_WORKSPACE = 100;

/** 409 when the workspace already holds the most pending invitations it may. */
export async function ensureRoomForInvitation(db: Queryable, workspaceId: string): Promise<void> {
  const pending = await countPendingInvitations(db, workspaceId);
  if (pending >= PENDING_INVITATIONS_PER_WORKSPACE) {
    throw conflict(
      `This workspace has ${pending} pending invitations, the most it may hold. Withdraw some first.`,
    );
  }
}
