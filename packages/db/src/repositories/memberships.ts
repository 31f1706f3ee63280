import type { Role } from '../models/base.js';
import { rowsOf, type Queryable } from '../sql.js';
import type { MemberAccess } from './access.js';
import { TOTP_MISSING_SQL } from './totp.js';

/** Whether `userId` belongs to the workspace (any role). */
export async function isMember(db: Queryable, workspaceId: string, userId: string): Promise<boolean> {
  const found = await rowsOf(db, `SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [
    workspaceId,
    userId,
  ]);
  return found.length > 0;
}

/** The caller's role in the workspace (undefined: not a member, or no such workspace) and two-factor standing. */
export async function memberAccess(
  db: Queryable,
  workspaceId: string,
  userId: string,
): Promise<MemberAccess | undefined> {
  const [row] = await rowsOf<{ role: Role; totp_missing: boolean }>(
    db,
    `SELECT m.role, ${TOTP_MISSING_SQL} FROM memberships m WHERE m.workspace_id = $1 AND m.user_id = $2`,
    [workspaceId, userId],
  );
  return row && { role: row.role, totpMissing: row.totp_missing };
}
