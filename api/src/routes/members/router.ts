import { membersOf, removeMembership, setMemberRole } from '@taskstack/db/repositories';
import { z } from 'zod';
import { withdrawInvitationsOf } from '../../commands/withdraw-invitations.js';
import type { AppContext } from '../../context.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import {
  assertCanChangeRole,
  assertCanRemove,
  loadMember,
  lockWorkspace,
} from '../../policies/workspace-members.js';
import { memberOutput, presentMember } from '../../presenters/workspace.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import { memberBody, memberParams, membersParams } from './schema.js';

/** Membership management. Role rules live in policies/workspace-members.ts. */
export function membersRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['members'];

  route(
    {
      method: 'get',
      path: '/workspaces/:id/members',
      summary: 'Members of a workspace (viewer+)',
      tags,
      request: { params: membersParams },
      responses: { 200: { description: 'Members, by name', schema: z.array(memberOutput) } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'viewer');
      return (await membersOf(ctx.sql, params.id))
        .map(presentMember)
        .sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
    },
  );

  route(
    {
      method: 'patch',
      path: '/workspaces/:id/members/:userId',
      summary: "Change a member's role (admin+; only owners grant or change ownership)",
      tags,
      request: { params: memberParams, body: memberBody },
      responses: {
        200: { description: 'The member with the new role', schema: memberOutput },
        403: { description: 'Role too low' },
        409: { description: 'Would leave the workspace without an owner' },
      },
      transaction: true,
    },
    async ({ user, params, body, transaction }) => {
      const db = ctx.sql.in(transaction);
      await lockWorkspace(db, params.id);
      const { role } = await workspaceAccessFor(db, user.id, params.id, 'admin');
      const actor = { workspaceId: params.id, userId: user.id, role };
      const target = await loadMember(db, params.id, params.userId);
      await assertCanChangeRole(db, actor, target, body.role);
      await setMemberRole(db, params.id, params.userId, body.role);
      await withdrawInvitationsOf(db, params.id, params.userId, body.role);
      return presentMember({ ...target, role: body.role });
    },
  );

  route(
    {
      method: 'delete',
      path: '/workspaces/:id/members/:userId',
      summary: 'Remove a member (admin+), or leave (anyone, with their own id)',
      tags,
      request: { params: memberParams },
      responses: {
        204: { description: 'Removed' },
        403: { description: 'Role too low' },
        409: { description: 'Would leave the workspace without an owner' },
      },
      transaction: true,
    },
    async ({ user, params, transaction }) => {
      const db = ctx.sql.in(transaction);
      await lockWorkspace(db, params.id);
      const { role } = await workspaceAccessFor(db, user.id, params.id, 'viewer');
      const actor = { workspaceId: params.id, userId: user.id, role };
      const target = await loadMember(db, params.id, params.userId);
      await assertCanRemove(db, actor, target);
      await removeMembership(db, params.id, params.userId);
      await withdrawInvitationsOf(db, params.id, params.userId, undefined);
    },
  );

  return routes;
}
