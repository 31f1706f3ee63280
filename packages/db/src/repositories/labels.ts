import type { Role } from '../models/base.js';
import { rowsOf, type Queryable } from '../sql.js';
import type { MemberAccess } from './access.js';
import { TOTP_MISSING_SQL } from './totp.js';

export type LabelRecord = { id: string; workspaceId: string; name: string; color: string };

const COLUMNS = 'l.id, l.workspace_id, l.name, l.color';

const labelFromRow = (row: Record<string, unknown>): LabelRecord => ({
  id: row.id as string,
  workspaceId: row.workspace_id as string,
  name: row.name as string,
  color: row.color as string,
});

/** How many of `labelIds` are labels of the workspace. */
export async function countWorkspaceLabels(db: Queryable, workspaceId: string, labelIds: string[]) {
  const [row] = await rowsOf<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM labels WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
    [workspaceId, labelIds],
  );
  return row!.n;
}

/** The labels of a workspace by name. */
export async function findLabels(db: Queryable, workspaceId: string): Promise<LabelRecord[]> {
  const rows = await rowsOf(
    db,
    `SELECT ${COLUMNS} FROM labels l WHERE l.workspace_id = $1 ORDER BY l.name, l.id`,
    [workspaceId],
  );
  return rows.map(labelFromRow);
}

/** A label with the caller's role in its workspace (null when not a member); undefined when there is none. */
export async function labelAccess(
  db: Queryable,
  labelId: string,
  userId: string,
): Promise<(MemberAccess & { label: LabelRecord }) | undefined> {
  const [row] = await rowsOf(
    db,
    `SELECT ${COLUMNS}, m.role, ${TOTP_MISSING_SQL} FROM labels l
      LEFT JOIN memberships m ON m.workspace_id = l.workspace_id AND m.user_id = $2 WHERE l.id = $1`,
    [labelId, userId],
  );
  return (
    row && {
      label: labelFromRow(row),
      role: row.role as Role | null,
      totpMissing: row.totp_missing as boolean,
    }
  );
}

/** Creates a label; a name taken in the workspace (case-insensitively) fails with a unique violation. */
export async function insertLabel(
  db: Queryable,
  label: { workspaceId: string; name: string; color: string },
): Promise<LabelRecord> {
  const [row] = await rowsOf(
    db,
    `INSERT INTO labels AS l (workspace_id, name, color) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
    [label.workspaceId, label.name, label.color],
  );
  return labelFromRow(row!);
}

/** Renames or recolours a label (fields left out keep their value); undefined when it is gone. */
export async function updateLabel(
  db: Queryable,
  labelId: string,
  change: { name?: string | undefined; color?: string | undefined },
): Promise<LabelRecord | undefined> {
  const [row] = await rowsOf(
    db,
    `UPDATE labels AS l SET name = COALESCE($2, l.name), color = COALESCE($3, l.color), updated_at = now()
      WHERE l.id = $1 RETURNING ${COLUMNS}`,
    [labelId, change.name ?? null, change.color ?? null],
  );
  return row && labelFromRow(row);
}

/** Deletes a label; its task links go with it. */
export async function deleteLabel(db: Queryable, labelId: string): Promise<void> {
  await db.query(`DELETE FROM labels WHERE id = $1`, [labelId]);
}
