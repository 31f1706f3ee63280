import { pendingInvitations, withdrawInvitation } from '@taskstack/db/repositories';
import { z } from 'zod';
import { INVITATIONS_PER_INVITER } from '../../commands/invitation-limits.js';
import { acceptInvitation, findPendingInvitation, inviteToWorkspace } from '../../commands/invitations.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { consume, createLimiter } from '../../middlewares/rate-limit.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import { presentInvitation } from '../../presenters/invitation.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import {
  acceptedOutput,
  invitationBody,
  invitationOutput,
  invitationParams,
  invitationPreview,
  tokenParams,
  workspaceInvitationsParams,
} from './schema.js';

/** Invitations: admins invite by email; the invited person accepts through the emailed link. */
export function invitationsRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const perInviter = createLimiter(ctx.redis, ctx.config.REDIS_PREFIX, INVITATIONS_PER_INVITER);
  const tags = ['invitations'];

  route(
    {
      method: 'post',
      path: '/workspaces/:id/invitations',
      summary: 'Invite someone by email (admin+); the email carries the accept link',
      tags,
      request: { params: workspaceInvitationsParams, body: invitationBody },
      responses: {
        201: { description: 'Invitation created and email enqueued', schema: invitationOutput },
        403: { description: 'Role too low' },
        409: { description: 'Already a member, or the workspace holds the most pending invitations it may' },
        429: { description: 'The inviter sent the most invitations allowed per hour' },
      },
      transaction: true,
    },
    async ({ user, params, body, transaction }) => {
      await workspaceAccessFor(ctx.sql.in(transaction), user.id, params.id, 'admin');
      await consume(perInviter, user.id);
      const invitation = await inviteToWorkspace(
        ctx,
        { workspaceId: params.id, inviterId: user.id, email: body.email, role: body.role },
        transaction!,
      );
      return presentInvitation(invitation);
    },
  );

  route(
    {
      method: 'get',
      path: '/workspaces/:id/invitations',
      summary: 'Pending invitations of a workspace (admin+)',
      tags,
      request: { params: workspaceInvitationsParams },
      responses: {
        200: { description: 'Pending invitations, newest first', schema: z.array(invitationOutput) },
      },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      return (await pendingInvitations(ctx.sql, params.id)).map(presentInvitation);
    },
  );

  route(
    {
      method: 'delete',
      path: '/workspaces/:id/invitations/:invitationId',
      summary: 'Withdraw a pending invitation (admin+)',
      tags,
      request: { params: invitationParams },
      responses: { 204: { description: 'Withdrawn' }, 403: { description: 'Role too low' } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      if (!(await withdrawInvitation(ctx.sql, params.id, params.invitationId))) throw notFound('Invitation');
    },
  );

  route(
    {
      method: 'get',
      path: '/invitations/:token',
      summary: 'What an invitation link offers, for the page that asks to accept it',
      tags,
      auth: 'public',
      request: { params: tokenParams },
      responses: {
        200: { description: 'The invitation', schema: invitationPreview },
        404: { description: 'Unknown, used, withdrawn or expired' },
      },
    },
    async ({ params }) => {
      const invitation = await findPendingInvitation(ctx.sql, params.token);
      return {
        workspaceName: invitation.workspaceName,
        email: invitation.email,
        role: invitation.role,
        expiresAt: invitation.expiresAt.toISOString(),
      };
    },
  );

  route(
    {
      method: 'post',
      path: '/invitations/:token/accept',
      summary: 'Join the workspace (signed in as the invited email; single use; valid 7 days)',
      tags,
      request: { params: tokenParams },
      responses: {
        200: { description: 'Joined', schema: acceptedOutput },
        403: { description: 'Signed in with a different email than the invitation was sent to' },
        409: { description: 'Already a member' },
      },
      transaction: true,
    },
    async ({ user, params, transaction }) => acceptInvitation(ctx, params.token, user.id, transaction!),
  );

  return routes;
}
