import { Invitation, Membership, User, Workspace, type Role } from '@taskstack/db';
import { col, fn, Op, where } from 'sequelize';
import { hashOpaqueToken, newOpaqueToken } from '../auth/opaque-token.js';
import type { AppContext } from '../context.js';
import { conflict, forbidden, notFound, unauthorized } from '../errors.js';
import { ensureRoomForInvitation } from './invitation-limits.js';
import { appLink } from './password-reset.js';

/** Invitations can be accepted for seven days. */
export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Invites an email address into a workspace and enqueues the email with the accept link. A newer invitation to the
 * same address replaces a pending one, so only the latest link works.
 */
export async function inviteToWorkspace(
  ctx: AppContext,
  input: { workspaceId: string; inviterId: string; email: string; role: Role },
): Promise<Invitation> {
  const { token, hash } = newOpaqueToken();
  const { invitation, workspace, inviter } = await ctx.sequelize.transaction(async (transaction) => {
    const alreadyMember = await Membership.count({
      where: { workspaceId: input.workspaceId },
      include: [
        {
          model: User,
          as: 'user',
          required: true,
          where: where(fn('lower', col('user.email')), input.email),
        },
      ],
      transaction,
    });
    if (alreadyMember) throw conflict('This person is already a member of the workspace.');
    await Invitation.destroy({
      where: { workspaceId: input.workspaceId, email: input.email, acceptedAt: null },
      transaction,
    });
    await ensureRoomForInvitation(input.workspaceId, transaction);
    const invitation = await Invitation.create(
      {
        workspaceId: input.workspaceId,
        email: input.email,
        role: input.role,
        tokenHash: hash,
        invitedById: input.inviterId,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      },
      { transaction },
    );
    const workspace = await Workspace.findByPk(input.workspaceId, {
      transaction,
      rejectOnEmpty: notFound('Workspace'),
    });
    const inviter = await User.findByPk(input.inviterId, { transaction, rejectOnEmpty: unauthorized() });
    return { invitation, workspace, inviter };
  });
  await ctx.emails.send(
    'invitation',
    {
      to: invitation.email,
      inviterName: inviter.name,
      workspaceName: workspace.name,
      role: invitation.role,
      acceptUrl: appLink(ctx, `/invitations/${token}`),
    },
    `invitation-${invitation.id}`,
  );
  return invitation;
}

/** A pending, unexpired invitation by its token, or 404 (used, expired, replaced and unknown look the same). */
export async function findPendingInvitation(token: string): Promise<Invitation> {
  const invitation = await Invitation.findOne({
    where: { tokenHash: hashOpaqueToken(token), acceptedAt: null, expiresAt: { [Op.gt]: new Date() } },
  });
  if (!invitation) throw notFound('Invitation');
  return invitation;
}

/**
 * Accepts an invitation for the signed-in user. The invitation is addressed to an email, so only the account
 * with that email can accept it (a forwarded or leaked link does not let someone else in), and only once that
 * account has confirmed the address (its welcome email's link): anyone can sign up with someone else's address,
 * and a link reaching that account by any route must not bind the invitation to an address nobody proved.
 * Claiming the invitation and creating the membership are one transaction, so a link works once.
 */
export async function acceptInvitation(
  ctx: AppContext,
  token: string,
  userId: string,
): Promise<{ workspaceId: string; role: Role }> {
  return ctx.sequelize.transaction(async (transaction) => {
    const user = await User.findByPk(userId, { transaction });
    if (!user) throw notFound('Invitation');
    const invitation = await Invitation.findOne({
      where: { tokenHash: hashOpaqueToken(token), acceptedAt: null, expiresAt: { [Op.gt]: new Date() } },
      lock: transaction.LOCK.UPDATE,
      transaction,
    });
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
    const existing = await Membership.findOne({
      where: { workspaceId: invitation.workspaceId, userId },
      transaction,
    });
    if (existing) throw conflict('You are already a member of this workspace.');
    await Membership.create(
      { workspaceId: invitation.workspaceId, userId, role: invitation.role },
      { transaction },
    );
    await invitation.update({ acceptedAt: new Date(), acceptedById: userId }, { transaction });
    return { workspaceId: invitation.workspaceId, role: invitation.role };
  });
}
