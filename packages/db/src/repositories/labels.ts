import { rowsOf, type Queryable } from '../sql.js';

/** How many of `labelIds` are labels of the workspace. */
export async function countWorkspaceLabels(db: Queryable, workspaceId: string, labelIds: string[]) {
  const [row] = await rowsOf<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM labels WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
    [workspaceId, labelIds],
  );
  return row!.n;
}
