import { z } from 'zod';
import '../../openapi/registry.js';
import { emailField } from '../auth/schema.js';

export const workspaceInvitationsParams = z.object({ id: z.uuid() }).strict();
export const invitationParams = z.object({ id: z.uuid(), invitationId: z.uuid() }).strict();
/** Tokens are 43 base64url characters; anything else cannot name an invitation. */
export const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/) }).strict();

/** Ownership is never granted by email: an owner promotes an existing member instead. */
export const invitableRole = z.enum(['admin', 'member', 'viewer']);
export const invitationBody = z
  .object({ email: emailField, role: invitableRole })
  .strict()
  .openapi('InvitationBody');

export const invitationOutput = z
  .object({
    id: z.uuid(),
    workspaceId: z.uuid(),
    email: z.string(),
    role: invitableRole,
    expiresAt: z.string(),
    createdAt: z.string(),
  })
  .openapi('Invitation');
export const invitationPreview = z
  .object({ workspaceName: z.string(), email: z.string(), role: z.string(), expiresAt: z.string() })
  .openapi('InvitationPreview');
export const acceptedOutput = z
  .object({ workspaceId: z.uuid(), role: z.string() })
  .openapi('AcceptedInvitation');
