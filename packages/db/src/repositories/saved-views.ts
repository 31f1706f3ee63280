import { rowsOf, type Queryable } from '../sql.js';

export type SavedViewKind = 'board' | 'list' | 'calendar';

export type SavedViewRecord = {
  id: string;
  projectId: string;
  ownerId: string;
  name: string;
  view: SavedViewKind;
  filters: Record<string, string>;
  shared: boolean;
  createdAt: Date;
  updatedAt: Date;
};

const COLUMNS =
  'v.id, v.project_id, v.owner_id, v.name, v.view, v.filters, v.shared, v.created_at, v.updated_at';

const viewFromRow = (row: Record<string, unknown>): SavedViewRecord => ({
  id: row.id as string,
  projectId: row.project_id as string,
  ownerId: row.owner_id as string,
  name: row.name as string,
  view: row.view as SavedViewKind,
  filters: row.filters as Record<string, string>,
  shared: row.shared as boolean,
  createdAt: row.created_at as Date,
  updatedAt: row.updated_at as Date,
});

/** The views of a project `userId` sees: their own and the shared ones, by name. */
export async function findSavedViews(db: Queryable, projectId: string, userId: string) {
  const rows = await rowsOf(
    db,
    `SELECT ${COLUMNS} FROM saved_views v WHERE v.project_id = $1 AND (v.owner_id = $2 OR v.shared)
      ORDER BY lower(v.name), v.id`,
    [projectId, userId],
  );
  return rows.map(viewFromRow);
}

/** A view by id if `userId` may see it (their own, or shared); undefined otherwise. */
export async function findVisibleSavedView(db: Queryable, viewId: string, userId: string) {
  const [row] = await rowsOf(
    db,
    `SELECT ${COLUMNS} FROM saved_views v WHERE v.id = $1 AND (v.owner_id = $2 OR v.shared)`,
    [viewId, userId],
  );
  return row && viewFromRow(row);
}

/** How many views `ownerId` keeps in a project (the API caps it). */
export async function countOwnSavedViews(db: Queryable, projectId: string, ownerId: string) {
  const [row] = await rowsOf<{ n: number }>(
    db,
    `SELECT count(*)::int AS n FROM saved_views WHERE project_id = $1 AND owner_id = $2`,
    [projectId, ownerId],
  );
  return row!.n;
}

/** Saves a view; a name the owner already uses in the project (case-insensitively) fails with a unique violation. */
export async function insertSavedView(
  db: Queryable,
  view: Pick<SavedViewRecord, 'projectId' | 'ownerId' | 'name' | 'view' | 'filters' | 'shared'>,
): Promise<SavedViewRecord> {
  const [row] = await rowsOf(
    db,
    `INSERT INTO saved_views AS v (project_id, owner_id, name, view, filters, shared)
      VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [view.projectId, view.ownerId, view.name, view.view, JSON.stringify(view.filters), view.shared],
  );
  return viewFromRow(row!);
}

/** Changes what is given of a view (the rest keeps its value); undefined when it is gone. */
export async function updateSavedView(
  db: Queryable,
  viewId: string,
  change: Partial<Pick<SavedViewRecord, 'name' | 'view' | 'filters' | 'shared'>>,
): Promise<SavedViewRecord | undefined> {
  const [row] = await rowsOf(
    db,
    `UPDATE saved_views AS v SET name = COALESCE($2, v.name), view = COALESCE($3, v.view),
        filters = COALESCE($4::jsonb, v.filters), shared = COALESCE($5, v.shared), updated_at = now()
      WHERE v.id = $1 RETURNING ${COLUMNS}`,
    [
      viewId,
      change.name ?? null,
      change.view ?? null,
      change.filters ? JSON.stringify(change.filters) : null,
      change.shared ?? null,
    ],
  );
  return row && viewFromRow(row);
}

export async function deleteSavedView(db: Queryable, viewId: string): Promise<void> {
  await db.query(`DELETE FROM saved_views WHERE id = $1`, [viewId]);
}
