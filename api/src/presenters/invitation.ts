import type { Role } from '@taskstack/db';
import type { InvitationRecord } from '@taskstack/db/repositories';

export type InvitationView = {
  id: string;
  workspaceId: string;
  email: string;
  role: Role;
  expiresAt: string;
  createdAt: string;
};

/** An invitation as workspace admins see it (never its token, which only the email carries). */
export function presentInvitation(invitation: InvitationRecord): InvitationView {
  return {
    id: invitation.id,
    workspaceId: invitation.workspaceId,
    email: invitation.email,
    role: invitation.role,
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}
