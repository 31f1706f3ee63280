import { ROLES, type Role } from '@taskstack/db';
import type { MemberRecord, WorkspaceRecord } from '@taskstack/db/repositories';
import { z } from 'zod';
import '../openapi/registry.js';

export const roleSchema = z.enum(ROLES).openapi('Role');

export const workspaceOutput = z
  .object({
    id: z.uuid(),
    name: z.string(),
    role: roleSchema,
    /** Members without two-factor sign-in get a `totp-enrolment-required` 403 on its routes. */
    requireTotp: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Workspace');

/** A workspace as one member sees it: with their own role, which the UI uses to show or hide actions. */
export function presentWorkspace(workspace: WorkspaceRecord, role: Role): z.infer<typeof workspaceOutput> {
  return {
    id: workspace.id,
    name: workspace.name,
    role,
    requireTotp: workspace.requireTotp,
    createdAt: workspace.createdAt.toISOString(),
    updatedAt: workspace.updatedAt.toISOString(),
  };
}

export const memberOutput = z
  .object({ userId: z.uuid(), name: z.string(), email: z.string(), role: roleSchema, joinedAt: z.string() })
  .openapi('Member');

/** A member of a workspace, as its other members see them. */
export function presentMember(member: MemberRecord): z.infer<typeof memberOutput> {
  return {
    userId: member.userId,
    name: member.name,
    email: member.email,
    role: member.role,
    joinedAt: member.createdAt.toISOString(),
  };
}
