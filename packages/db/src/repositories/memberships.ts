import type { Role } from '../models/base.js';
import { rowsOf, type Queryable } from '../sql.js';

/** Whether `userId` belongs to the workspace (any role). */
export async function isMember(db: Queryable, workspaceId: string, userId: string): Promise<boolean> {
  const found = await rowsOf(db, `SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [
    workspaceId,
    userId,
  ]);
  return found.length > 0;
}

/** The caller's role in the workspace; undefined when not a member (or no such workspace). */
export async function memberRole(
  db: Queryable,
  workspaceId: string,
  userId: string,
): Promise<Role | undefined> {
  const [row] = await rowsOf<{ role: Role }>(
    db,
    `SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2`,
    [workspaceId, userId],
  );
  return row?.role;
}
