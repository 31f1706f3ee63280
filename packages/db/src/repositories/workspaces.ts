import type { Role } from '../models/base.js';
import { rowsOf, type Queryable, type Row } from '../sql.js';

/**
 * The workspaces repository: workspaces and the memberships that make up their members (who belongs, with which
 * role). Access checks of other aggregates join memberships themselves (`access.ts`, `memberships.ts`).
 */
export type WorkspaceRecord = {
  id: string;
  name: string;
  /** Set by the owner: members without two-factor sign-in get 403 on the workspace's routes. */
  requireTotp: boolean;
  createdAt: Date;
  updatedAt: Date;
};
export type MembershipRecord = { workspaceId: string; userId: string; role: Role; createdAt: Date };
/** A member as the workspace's other members see them. */
export type MemberRecord = MembershipRecord & { name: string; email: string };

const WORKSPACE = 'w.id, w.name, w.require_totp, w.created_at, w.updated_at';
const MEMBERSHIP = 'm.workspace_id, m.user_id, m.role, m.created_at';

const workspaceFromRow = (row: Row): WorkspaceRecord => ({
  id: row.id as string,
  name: row.name as string,
  requireTotp: row.require_totp as boolean,
  createdAt: row.created_at as Date,
  updatedAt: row.updated_at as Date,
});

const membershipFromRow = (row: Row): MembershipRecord => ({
  workspaceId: row.workspace_id as string,
  userId: row.user_id as string,
  role: row.role as Role,
  createdAt: row.created_at as Date,
});

/** The workspaces `userId` belongs to, each with their role, by name. */
export async function workspacesOf(
  db: Queryable,
  userId: string,
): Promise<{ workspace: WorkspaceRecord; role: Role }[]> {
  const rows = await rowsOf(
    db,
    `SELECT ${WORKSPACE}, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
      WHERE m.user_id = $1`,
    [userId],
  );
  return rows.map((row) => ({ workspace: workspaceFromRow(row), role: row.role as Role }));
}

export async function findWorkspace(db: Queryable, id: string): Promise<WorkspaceRecord | undefined> {
  const [row] = await rowsOf(db, `SELECT ${WORKSPACE} FROM workspaces w WHERE w.id = $1`, [id]);
  return row && workspaceFromRow(row);
}

/** Creates a workspace with `ownerId` as its owner, in one statement. */
export async function insertWorkspace(
  db: Queryable,
  name: string,
  ownerId: string,
): Promise<WorkspaceRecord> {
  const [row] = await rowsOf(
    db,
    `WITH w AS (INSERT INTO workspaces (name) VALUES ($1) RETURNING *),
          m AS (INSERT INTO memberships (workspace_id, user_id, role) SELECT id, $2, 'owner' FROM w)
     SELECT ${WORKSPACE} FROM w`,
    [name, ownerId],
  );
  return workspaceFromRow(row!);
}

/** Sets whether the workspace requires two-factor sign-in of its members; undefined when it is gone. */
export async function setWorkspaceRequireTotp(
  db: Queryable,
  id: string,
  required: boolean,
): Promise<WorkspaceRecord | undefined> {
  const [row] = await rowsOf(
    db,
    `UPDATE workspaces w SET require_totp = $2, updated_at = now() WHERE w.id = $1 RETURNING ${WORKSPACE}`,
    [id, required],
  );
  return row && workspaceFromRow(row);
}

/** Renames a workspace (the same name changes nothing); undefined when it is gone. */
export async function renameWorkspace(
  db: Queryable,
  id: string,
  name: string,
): Promise<WorkspaceRecord | undefined> {
  const [row] = await rowsOf(
    db,
    `UPDATE workspaces w SET name = $2,
            updated_at = CASE WHEN w.name = $2 THEN w.updated_at ELSE now() END
      WHERE w.id = $1 RETURNING ${WORKSPACE}`,
    [id, name],
  );
  return row && workspaceFromRow(row);
}

/**
 * Deletes a workspace; its rows go through ON DELETE CASCADE. Returns the storage keys of the files its rows named
 * — attachments of its tasks, trashed ones too (all_tasks), and export zips and uploaded imports — for the caller
 * to remove once the deletion is committed.
 */
export async function deleteWorkspace(db: Queryable, id: string): Promise<string[]> {
  const rows = await rowsOf<{ storage_key: string }>(
    db,
    `SELECT a.storage_key FROM attachments a JOIN all_tasks t ON t.id = a.task_id WHERE t.workspace_id = $1
     UNION ALL
     SELECT file_key FROM workspace_transfers WHERE workspace_id = $1 AND file_key IS NOT NULL`,
    [id],
  );
  await db.query(`DELETE FROM workspaces WHERE id = $1`, [id]);
  return rows.map((row) => row.storage_key);
}

/**
 * Locks the workspace row for the rest of the transaction (false when there is none), so two concurrent changes
 * to its owners are serialised. NO KEY UPDATE leaves inserts of rows referencing the workspace unblocked.
 */
export async function lockWorkspace(db: Queryable, id: string): Promise<boolean> {
  const rows = await rowsOf(db, `SELECT id FROM workspaces WHERE id = $1 FOR NO KEY UPDATE`, [id]);
  return rows.length > 0;
}

/** The members of a workspace with their names and emails (unordered). */
export async function membersOf(db: Queryable, workspaceId: string): Promise<MemberRecord[]> {
  const rows = await rowsOf(
    db,
    `SELECT ${MEMBERSHIP}, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.workspace_id = $1`,
    [workspaceId],
  );
  return rows.map((row) => ({
    ...membershipFromRow(row),
    name: row.name as string,
    email: row.email as string,
  }));
}

/** One member with their name and email; undefined when `userId` is not a member. */
export async function findMember(
  db: Queryable,
  workspaceId: string,
  userId: string,
): Promise<MemberRecord | undefined> {
  const [row] = await rowsOf(
    db,
    `SELECT ${MEMBERSHIP}, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.workspace_id = $1 AND m.user_id = $2`,
    [workspaceId, userId],
  );
  return row && { ...membershipFromRow(row), name: row.name as string, email: row.email as string };
}

/** How many owners the workspace has. */
export async function countOwners(db: Queryable, workspaceId: string): Promise<number> {
  const [row] = await rowsOf<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM memberships WHERE workspace_id = $1 AND role = 'owner'`,
    [workspaceId],
  );
  return row!.n;
}

/** Gives a member a new role (the same role changes nothing). */
export async function setMemberRole(
  db: Queryable,
  workspaceId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await db.query(
    `UPDATE memberships SET role = $3,
            updated_at = CASE WHEN role = $3 THEN updated_at ELSE now() END
      WHERE workspace_id = $1 AND user_id = $2`,
    [workspaceId, userId, role],
  );
}

/** Adds a member; false when `userId` already belongs to the workspace. */
export async function addMembership(
  db: Queryable,
  workspaceId: string,
  userId: string,
  role: Role,
): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3)
      ON CONFLICT (workspace_id, user_id) DO NOTHING RETURNING id`,
    [workspaceId, userId, role],
  );
  return rows.length > 0;
}

export async function removeMembership(db: Queryable, workspaceId: string, userId: string): Promise<void> {
  await db.query(`DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [workspaceId, userId]);
}

/** Whether an account with `email` (ignoring case) belongs to the workspace. */
export async function hasMemberWithEmail(
  db: Queryable,
  workspaceId: string,
  email: string,
): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.workspace_id = $1 AND lower(u.email) = lower($2)`,
    [workspaceId, email],
  );
  return rows.length > 0;
}
