import { Invitation, Workspace } from '@taskstack/db';
import { Router } from 'express';
import { Op } from 'sequelize';
import { z } from 'zod';
import { acceptInvitation, findPendingInvitation, inviteToWorkspace } from '../../commands/invitations.js';
import { INVITATIONS_PER_INVITER } from '../../commands/invitation-limits.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { authenticate, currentUser } from '../../middlewares/authenticate.js';
import { consume, createLimiter } from '../../middlewares/rate-limit.js';
import { validate } from '../../middlewares/validate.js';
import { jsonBody, jsonResponse } from '../../openapi/json.js';
import { documentRoute } from '../../openapi/registry.js';
import { authorize } from '../../policies/membership.js';
import { presentInvitation } from '../../presenters/invitation.js';
import {
  acceptedOutput,
  invitationBody,
  invitationOutput,
  invitationParams,
  invitationPreview,
  tokenParams,
  workspaceInvitationsParams,
} from './schema.js';

const tags = ['invitations'];
documentRoute({
  method: 'post',
  path: '/workspaces/:id/invitations',
  tags,
  summary: 'Invite someone by email (admin+); the email carries the accept link',
  request: { params: workspaceInvitationsParams, ...jsonBody(invitationBody) },
  responses: {
    201: jsonResponse('Invitation created and email enqueued', invitationOutput),
    403: { description: 'Role too low' },
    409: { description: 'Already a member, or the workspace holds the most pending invitations it may' },
    429: { description: 'The inviter sent the most invitations allowed per hour' },
  },
});
documentRoute({
  method: 'get',
  path: '/workspaces/:id/invitations',
  tags,
  summary: 'Pending invitations of a workspace (admin+)',
  request: { params: workspaceInvitationsParams },
  responses: { 200: jsonResponse('Pending invitations, newest first', z.array(invitationOutput)) },
});
documentRoute({
  method: 'delete',
  path: '/workspaces/:id/invitations/:invitationId',
  tags,
  summary: 'Withdraw a pending invitation (admin+)',
  request: { params: invitationParams },
  responses: { 204: { description: 'Withdrawn' }, 403: { description: 'Role too low' } },
});
documentRoute({
  method: 'get',
  path: '/invitations/:token',
  tags,
  public: true,
  summary: 'What an invitation link offers, for the page that asks to accept it',
  request: { params: tokenParams },
  responses: {
    200: jsonResponse('The invitation', invitationPreview),
    404: { description: 'Unknown, used, withdrawn or expired' },
  },
});
documentRoute({
  method: 'post',
  path: '/invitations/:token/accept',
  tags,
  summary: 'Join the workspace (signed in as the invited email; single use; valid 7 days)',
  request: { params: tokenParams },
  responses: {
    200: jsonResponse('Joined', acceptedOutput),
    403: { description: 'Signed in with a different email than the invitation was sent to' },
    409: { description: 'Already a member' },
  },
});

/** Invitations: admins invite by email; the invited person accepts through the emailed link. */
export function invitationsRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = authenticate(ctx);
  const perInviter = createLimiter(ctx.redis, ctx.config.REDIS_PREFIX, INVITATIONS_PER_INVITER);

  router.post(
    '/workspaces/:id/invitations',
    auth,
    validate({ params: workspaceInvitationsParams, body: invitationBody })(
      async (req, res, { params, body }) => {
        const inviterId = currentUser(req).id;
        await authorize(inviterId, params.id, 'admin', 'Workspace');
        await consume(perInviter, inviterId);
        const invitation = await inviteToWorkspace(ctx, {
          workspaceId: params.id,
          inviterId,
          email: body.email,
          role: body.role,
        });
        res.status(201).json(presentInvitation(invitation));
      },
    ),
  );

  router.get(
    '/workspaces/:id/invitations',
    auth,
    validate({ params: workspaceInvitationsParams })(async (req, res, { params }) => {
      await authorize(currentUser(req).id, params.id, 'admin', 'Workspace');
      const invitations = await Invitation.findAll({
        where: { workspaceId: params.id, acceptedAt: null, expiresAt: { [Op.gt]: new Date() } },
        order: [
          ['createdAt', 'DESC'],
          ['id', 'DESC'],
        ],
      });
      res.json(invitations.map(presentInvitation));
    }),
  );

  router.delete(
    '/workspaces/:id/invitations/:invitationId',
    auth,
    validate({ params: invitationParams })(async (req, res, { params }) => {
      await authorize(currentUser(req).id, params.id, 'admin', 'Workspace');
      const removed = await Invitation.destroy({
        where: { id: params.invitationId, workspaceId: params.id, acceptedAt: null },
      });
      if (!removed) throw notFound('Invitation');
      res.status(204).end();
    }),
  );

  router.get(
    '/invitations/:token',
    validate({ params: tokenParams })(async (_req, res, { params }) => {
      const invitation = await findPendingInvitation(params.token);
      const workspace = await Workspace.findByPk(invitation.workspaceId, {
        rejectOnEmpty: notFound('Invitation'),
      });
      res.json({
        workspaceName: workspace.name,
        email: invitation.email,
        role: invitation.role,
        expiresAt: invitation.expiresAt.toISOString(),
      });
    }),
  );

  router.post(
    '/invitations/:token/accept',
    auth,
    validate({ params: tokenParams })(async (req, res, { params }) => {
      res.json(await acceptInvitation(ctx, params.token, currentUser(req).id));
    }),
  );

  return router;
}
