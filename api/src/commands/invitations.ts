import type { Role } from '@taskstack/db';
import {
  addMembership,
  findUser,
  findWorkspace,
  hasMemberWithEmail,
  insertInvitation,
  markInvitationAccepted,
  pendingInvitationByHash,
  withdrawInvitationsTo,
  type InvitationRecord,
  type Queryable,
} from '@taskstack/db/repositories';
import type { Transaction } from 'sequelize';
import { hashOpaqueToken, newOpaqueToken } from '../auth/opaque-token.js';
import type { AppContext } from '../context.js';
import { conflict, forbidden, notFound, unauthorized } from '../errors.js';
import { ensureRoomForInvitation } from './invitation-limits.js';
import { appLink } from './password-reset.js';

/** Invitations can be accepted for seven days. */
export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Invites an email address into a workspace inside the route's transaction and, once committed, enqueues the email
 * with the accept link. A newer invitation to the same address replaces a pending one, so only the latest link
 * works.
 */
export async function inviteToWorkspace(
  ctx: AppContext,
  input: { workspaceId: string; inviterId: string; email: string; role: Role },
  transaction: Transaction,
): Promise<InvitationRecord> {
  const db = ctx.sql.in(transaction);
  const { token, hash } = newOpaqueToken();
  if (await hasMemberWithEmail(db, input.workspaceId, input.email)) {
    throw conflict('This person is already a member of the workspace.');
  }
  await withdrawInvitationsTo(db, input.workspaceId, input.email);
  await ensureRoomForInvitation(db, input.workspaceId);
  const invitation = await insertInvitation(db, {
    workspaceId: input.workspaceId,
    email: input.email,
    role: input.role,
    tokenHash: hash,
    invitedById: input.inviterId,
    expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
  });
  const workspace = await findWorkspace(db, input.workspaceId);
  if (!workspace) throw notFound('Workspace');
  const inviter = await findUser(db, input.inviterId);
  if (!inviter) throw unauthorized();
  transaction.afterCommit(() =>
    ctx.emails.send(
      'invitation',
      {
        to: invitation.email,
        inviterName: inviter.name,
        workspaceName: workspace.name,
        role: invitation.role,
        acceptUrl: appLink(ctx, `/invitations/${token}`),
      },
      `invitation-${invitation.id}`,
    ),
  );
  return invitation;
}

/**
 * A pending, unexpired invitation by its token with its workspace's name, or 404 (used, expired, replaced and
 * unknown look the same).
 */
export async function findPendingInvitation(db: Queryable, token: string) {
  const invitation = await pendingInvitationByHash(db, hashOpaqueToken(token));
  if (!invitation) throw notFound('Invitation');
  return invitation;
}

/**
 * Accepts an invitation for the signed-in user. The invitation is addressed to an email, so only the account
 * with that email can accept it (a forwarded or leaked link does not let someone else in), and only once that
 * account has confirmed the address (its welcome email's link): anyone can sign up with someone else's address,
 * and a link reaching that account by any route must not bind the invitation to an address nobody proved.
 * Claiming the invitation and creating the membership happen in the route's transaction, so a link works once.
 */
export async function acceptInvitation(
  ctx: AppContext,
  token: string,
  userId: string,
  transaction: Transaction,
): Promise<{ workspaceId: string; role: Role }> {
  const db = ctx.sql.in(transaction);
  const user = await findUser(db, userId);
  if (!user) throw notFound('Invitation');
  const invitation = await pendingInvitationByHash(db, hashOpaqueToken(token), { lock: true });
  if (!invitation) throw notFound('Invitation');
  if (invitation.email.toLowerCase() !== user.email.toLowerCase()) {
    throw forbidden(
      `This invitation was sent to ${invitation.email}. Sign in with that address to accept it.`,
    );
  }
  if (!user.emailVerifiedAt) {
    throw forbidden(
      `Confirm ${user.email} first: open the link in your welcome email, then accept the invitation.`,
    );
  }
  if (!(await addMembership(db, invitation.workspaceId, userId, invitation.role))) {
    throw conflict('You are already a member of this workspace.');
  }
  await markInvitationAccepted(db, invitation.id, userId);
  return { workspaceId: invitation.workspaceId, role: invitation.role };
}
