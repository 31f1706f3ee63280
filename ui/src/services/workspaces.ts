import type { HttpClient } from './http.js';
import { ENDPOINTS as E } from './endpoints.js';
import type { Invitation, InvitationPreview, Label, Member, Role, Workspace } from './types.js';

/** Workspaces, their members, invitations and labels. */
export class WorkspaceService {
  constructor(private readonly http: HttpClient) {}

  list(): Promise<Workspace[]> {
    return this.http.call(E.listWorkspaces);
  }
  create(name: string): Promise<Workspace> {
    return this.http.call(E.createWorkspace, { body: { name } });
  }
  /** Owner only: whether members must have two-factor sign-in. */
  setRequireTotp(id: string, requireTotp: boolean): Promise<Workspace> {
    return this.http.call(E.updateWorkspaceSecurity, { params: { id }, body: { requireTotp } });
  }
  members(id: string): Promise<Member[]> {
    return this.http.call(E.listMembers, { params: { id } });
  }
  setRole(id: string, userId: string, role: Role): Promise<Member> {
    return this.http.call(E.updateMember, { params: { id, userId }, body: { role } });
  }
  removeMember(id: string, userId: string): Promise<void> {
    return this.http.call(E.removeMember, { params: { id, userId } });
  }
  invite(id: string, email: string, role: Role): Promise<Invitation> {
    return this.http.call(E.invite, { params: { id }, body: { email, role } });
  }
  invitations(id: string): Promise<Invitation[]> {
    return this.http.call(E.listInvitations, { params: { id } });
  }
  withdrawInvitation(id: string, invitationId: string): Promise<void> {
    return this.http.call(E.withdrawInvitation, { params: { id, invitationId } });
  }
  previewInvitation(token: string): Promise<InvitationPreview> {
    return this.http.call(E.previewInvitation, { params: { token } });
  }
  acceptInvitation(token: string): Promise<{ workspaceId: string; role: Role }> {
    return this.http.call(E.acceptInvitation, { params: { token } });
  }
  labels(id: string): Promise<Label[]> {
    return this.http.call(E.listLabels, { params: { id } });
  }
  createLabel(id: string, name: string, color: string): Promise<Label> {
    return this.http.call(E.createLabel, { params: { id }, body: { name, color } });
  }
}
