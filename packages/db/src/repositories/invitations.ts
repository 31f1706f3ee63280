import type { Role } from '../models/base.js';
import { rowsOf, type Queryable, type Row } from '../sql.js';

/**
 * The invitations repository. An invitation is pending while nobody has accepted it and it has not expired;
 * tokens are stored only as hashes, so every lookup by token takes the hash.
 */
export type InvitationRecord = {
  id: string;
  workspaceId: string;
  email: string;
  role: Role;
  invitedById: string | null;
  expiresAt: Date;
  createdAt: Date;
};

const COLUMNS = 'i.id, i.workspace_id, i.email, i.role, i.invited_by_id, i.expires_at, i.created_at';

const invitationFromRow = (row: Row): InvitationRecord => ({
  id: row.id as string,
  workspaceId: row.workspace_id as string,
  email: row.email as string,
  role: row.role as Role,
  invitedById: row.invited_by_id as string | null,
  expiresAt: row.expires_at as Date,
  createdAt: row.created_at as Date,
});

/** The pending invitations of a workspace, newest first. */
export async function pendingInvitations(db: Queryable, workspaceId: string): Promise<InvitationRecord[]> {
  const rows = await rowsOf(
    db,
    `SELECT ${COLUMNS} FROM invitations i
      WHERE i.workspace_id = $1 AND i.accepted_at IS NULL AND i.expires_at > $2
      ORDER BY i.created_at DESC, i.id DESC`,
    [workspaceId, new Date()],
  );
  return rows.map(invitationFromRow);
}

/** How many pending invitations the workspace holds. */
export async function countPendingInvitations(db: Queryable, workspaceId: string): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM invitations
      WHERE workspace_id = $1 AND accepted_at IS NULL AND expires_at > $2`,
    [workspaceId, new Date()],
  );
  return row!.n;
}

/** A pending invitation by the hash of its token, with its workspace's name; `lock` holds it until commit. */
export async function pendingInvitationByHash(
  db: Queryable,
  tokenHash: string,
  options: { lock?: boolean } = {},
): Promise<(InvitationRecord & { workspaceName: string }) | undefined> {
  const [row] = await rowsOf(
    db,
    `SELECT ${COLUMNS}, w.name AS workspace_name FROM invitations i JOIN workspaces w ON w.id = i.workspace_id
      WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > $2
      ${options.lock ? 'FOR UPDATE OF i' : ''}`,
    [tokenHash, new Date()],
  );
  return row && { ...invitationFromRow(row), workspaceName: row.workspace_name as string };
}

export async function insertInvitation(
  db: Queryable,
  invitation: {
    workspaceId: string;
    email: string;
    role: Role;
    tokenHash: string;
    invitedById: string;
    expiresAt: Date;
  },
): Promise<InvitationRecord> {
  const [row] = await rowsOf(
    db,
    `INSERT INTO invitations AS i (workspace_id, email, role, token_hash, invited_by_id, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [
      invitation.workspaceId,
      invitation.email,
      invitation.role,
      invitation.tokenHash,
      invitation.invitedById,
      invitation.expiresAt,
    ],
  );
  return invitationFromRow(row!);
}

export async function markInvitationAccepted(db: Queryable, id: string, userId: string): Promise<void> {
  await db.query(
    `UPDATE invitations SET accepted_at = now(), accepted_by_id = $2, updated_at = now() WHERE id = $1`,
    [id, userId],
  );
}

/** Withdraws one unaccepted invitation of the workspace; false when there is none. */
export async function withdrawInvitation(
  db: Queryable,
  workspaceId: string,
  invitationId: string,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `DELETE FROM invitations WHERE id = $1 AND workspace_id = $2 AND accepted_at IS NULL`,
    [invitationId, workspaceId],
  );
  return (rowCount ?? 0) > 0;
}

/** Withdraws the unaccepted invitations of the workspace addressed to `email`. */
export async function withdrawInvitationsTo(
  db: Queryable,
  workspaceId: string,
  email: string,
): Promise<void> {
  await db.query(`DELETE FROM invitations WHERE workspace_id = $1 AND email = $2 AND accepted_at IS NULL`, [
    workspaceId,
    email,
  ]);
}

/** Withdraws the unaccepted invitations `inviterId` sent into the workspace. */
export async function withdrawInvitationsBy(
  db: Queryable,
  workspaceId: string,
  inviterId: string,
): Promise<void> {
  await db.query(
    `DELETE FROM invitations WHERE workspace_id = $1 AND invited_by_id = $2 AND accepted_at IS NULL`,
    [workspaceId, inviterId],
  );
}
