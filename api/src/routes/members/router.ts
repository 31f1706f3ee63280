import { Membership, User } from '@taskstack/db';
import { Router } from 'express';
import { z } from 'zod';
import { withdrawInvitationsOf } from '../../commands/withdraw-invitations.js';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { authenticate, currentUser } from '../../middlewares/authenticate.js';
import { validate } from '../../middlewares/validate.js';
import { jsonBody, jsonResponse } from '../../openapi/json.js';
import { documentRoute } from '../../openapi/registry.js';
import { authorize } from '../../policies/membership.js';
import {
  assertCanChangeRole,
  assertCanRemove,
  loadMembership,
  lockWorkspace,
} from '../../policies/workspace-members.js';
import { memberOutput, presentMember } from '../../presenters/workspace.js';
import { memberBody, memberParams, membersParams } from './schema.js';

const tags = ['members'];
documentRoute({
  method: 'get',
  path: '/workspaces/:id/members',
  tags,
  summary: 'Members of a workspace (viewer+)',
  request: { params: membersParams },
  responses: { 200: jsonResponse('Members, by name', z.array(memberOutput)) },
});
documentRoute({
  method: 'patch',
  path: '/workspaces/:id/members/:userId',
  tags,
  summary: "Change a member's role (admin+; only owners grant or change ownership)",
  request: { params: memberParams, ...jsonBody(memberBody) },
  responses: {
    200: jsonResponse('The member with the new role', memberOutput),
    403: { description: 'Role too low' },
    409: { description: 'Would leave the workspace without an owner' },
  },
});
documentRoute({
  method: 'delete',
  path: '/workspaces/:id/members/:userId',
  tags,
  summary: 'Remove a member (admin+), or leave (anyone, with their own id)',
  request: { params: memberParams },
  responses: {
    204: { description: 'Removed' },
    403: { description: 'Role too low' },
    409: { description: 'Would leave the workspace without an owner' },
  },
});

/** Membership management. Role rules live in policies/workspace-members.ts. */
export function membersRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = authenticate(ctx);

  router.get(
    '/workspaces/:id/members',
    auth,
    validate({ params: membersParams })(async (req, res, { params }) => {
      await authorize(currentUser(req).id, params.id, 'viewer', 'Workspace');
      const memberships = await Membership.findAll({
        where: { workspaceId: params.id },
        include: [{ model: User, as: 'user', required: true }],
      });
      const items = memberships
        .map((m) => presentMember(m, m.get('user') as User))
        .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
      res.json(items);
    }),
  );

  router.patch(
    '/workspaces/:id/members/:userId',
    auth,
    validate({ params: memberParams, body: memberBody })(async (req, res, { params, body }) => {
      const actorId = currentUser(req).id;
      const member = await ctx.sequelize.transaction(async (transaction) => {
        await lockWorkspace(params.id, transaction);
        const actor = await authorize(actorId, params.id, 'admin', 'Workspace', transaction);
        const target = await loadMembership(params.id, params.userId, transaction);
        await assertCanChangeRole(actor, target, body.role, transaction);
        await target.update({ role: body.role }, { transaction });
        await withdrawInvitationsOf(params.id, params.userId, body.role, transaction);
        return target;
      });
      const user = await User.findByPk(member.userId, { rejectOnEmpty: notFound('Member') });
      res.json(presentMember(member, user));
    }),
  );

  router.delete(
    '/workspaces/:id/members/:userId',
    auth,
    validate({ params: memberParams })(async (req, res, { params }) => {
      const actorId = currentUser(req).id;
      await ctx.sequelize.transaction(async (transaction) => {
        await lockWorkspace(params.id, transaction);
        const actor = await authorize(actorId, params.id, 'viewer', 'Workspace', transaction);
        const target = await loadMembership(params.id, params.userId, transaction);
        await assertCanRemove(actor, target, transaction);
        await target.destroy({ transaction });
        await withdrawInvitationsOf(params.id, params.userId, undefined, transaction);
      });
      res.status(204).end();
    }),
  );

  return router;
}
