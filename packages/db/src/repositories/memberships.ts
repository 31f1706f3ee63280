import { rowsOf, type Queryable } from '../sql.js';

/** Whether `userId` belongs to the workspace (any role). */
export async function isMember(db: Queryable, workspaceId: string, userId: string): Promise<boolean> {
  const found = await rowsOf(db, `SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [
    workspaceId,
    userId,
  ]);
  return found.length > 0;
}
