import { ROLES, type Membership, type User, type Workspace } from '@taskstack/db';
import { z } from 'zod';
import '../openapi/registry.js';

export const roleSchema = z.enum(ROLES).openapi('Role');

export const workspaceOutput = z
  .object({ id: z.uuid(), name: z.string(), role: roleSchema, createdAt: z.string(), updatedAt: z.string() })
  .openapi('Workspace');

/** A workspace as one member sees it: with their own role, which the UI uses to show or hide actions. */
export function presentWorkspace(
  workspace: Workspace,
  role: Membership['role'],
): z.infer<typeof workspaceOutput> {
  return {
    id: workspace.id,
    name: workspace.name,
    role,
    createdAt: workspace.createdAt.toISOString(),
    updatedAt: workspace.updatedAt.toISOString(),
  };
}

export const memberOutput = z
  .object({ userId: z.uuid(), name: z.string(), email: z.string(), role: roleSchema, joinedAt: z.string() })
  .openapi('Member');

/** A member of a workspace, as its other members see them. */
export function presentMember(membership: Membership, user: User): z.infer<typeof memberOutput> {
  return {
    userId: user.id,
    name: user.name,
    email: user.email,
    role: membership.role,
    joinedAt: membership.createdAt.toISOString(),
  };
}
