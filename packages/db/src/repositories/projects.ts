import type { TaskStatus } from '../models/base.js';
import { rowsOf, sql, type Queryable, type Statement } from '../sql.js';

/**
 * Takes the project's row lock for the rest of the transaction. Every write that picks a position (create, move,
 * status change) takes it first, so two people moving cards at once are serialised and positions stay unique.
 */
export const lockProject = (projectId: string): Statement =>
  sql`SELECT id FROM projects WHERE id = ${projectId} FOR UPDATE`;

/** The next task number, which takes the project's row lock as `lockProject` does. */
export const nextTaskNumber = (projectId: string): Statement =>
  sql`UPDATE projects SET task_counter = task_counter + 1 WHERE id = ${projectId} RETURNING task_counter`;

/** The last position of a column (read with the project locked), leaving out the task being moved there. */
export const columnEnd = (projectId: string, status: TaskStatus, excludeId?: string): Statement =>
  sql`SELECT position FROM tasks WHERE project_id = ${projectId} AND status = ${status}
    AND id <> ${excludeId ?? '00000000-0000-0000-0000-000000000000'} ORDER BY position DESC LIMIT 1`;

/** A project's name (for emails about its tasks); undefined when it is gone. */
export async function projectName(db: Queryable, projectId: string): Promise<string | undefined> {
  const [row] = await rowsOf<{ name: string }>(db, `SELECT name FROM projects WHERE id = $1`, [projectId]);
  return row?.name;
}

export type ProjectRecord = {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  archived: boolean;
  createdAt: Date;
  updatedAt: Date;
};

const PROJECT_COLUMNS = 'p.id, p.workspace_id, p.name, p.description, p.archived, p.created_at, p.updated_at';

const projectFromRow = (row: Record<string, unknown>): ProjectRecord => ({
  id: row.id as string,
  workspaceId: row.workspace_id as string,
  name: row.name as string,
  description: row.description as string,
  archived: row.archived as boolean,
  createdAt: row.created_at as Date,
  updatedAt: row.updated_at as Date,
});

/** The projects of a workspace, oldest first. */
export async function findProjects(db: Queryable, workspaceId: string): Promise<ProjectRecord[]> {
  const rows = await rowsOf(
    db,
    `SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.workspace_id = $1 ORDER BY p.created_at, p.id`,
    [workspaceId],
  );
  return rows.map(projectFromRow);
}

/** A project; undefined when there is none. */
export async function findProject(db: Queryable, projectId: string): Promise<ProjectRecord | undefined> {
  const [row] = await rowsOf(db, `SELECT ${PROJECT_COLUMNS} FROM projects p WHERE p.id = $1`, [projectId]);
  return row && projectFromRow(row);
}

/** The number of tasks per status of each project, in one statement whatever the number of projects. */
export async function countTasksByStatus(
  db: Queryable,
  projectIds: string[],
): Promise<{ projectId: string; status: TaskStatus; count: number }[]> {
  if (projectIds.length === 0) return [];
  const rows = await rowsOf<{ project_id: string; status: TaskStatus; n: number }>(
    db,
    `SELECT project_id, status, count(*)::int AS n FROM tasks WHERE project_id = ANY($1::uuid[]) GROUP BY 1, 2`,
    [projectIds],
  );
  return rows.map((row) => ({ projectId: row.project_id, status: row.status, count: row.n }));
}

/** Creates a project (no description: an empty one). */
export async function insertProject(
  db: Queryable,
  project: { workspaceId: string; name: string; description?: string | undefined },
): Promise<ProjectRecord> {
  const [row] = await rowsOf(
    db,
    `INSERT INTO projects AS p (workspace_id, name, description) VALUES ($1, $2, $3) RETURNING ${PROJECT_COLUMNS}`,
    [project.workspaceId, project.name, project.description ?? ''],
  );
  return projectFromRow(row!);
}

export type ProjectChange = {
  name?: string | undefined;
  description?: string | undefined;
  archived?: boolean | undefined;
};

/**
 * Renames, describes or archives a project (fields left out keep their value); `updated_at` moves only when a
 * value changes. Undefined when the project is gone.
 */
export async function updateProject(
  db: Queryable,
  projectId: string,
  change: ProjectChange,
): Promise<ProjectRecord | undefined> {
  // In SET, `p.` names the row as it was before the update.
  const [row] = await rowsOf(
    db,
    `UPDATE projects AS p SET name = COALESCE($2, p.name), description = COALESCE($3, p.description),
        archived = COALESCE($4, p.archived),
        updated_at = CASE
          WHEN (COALESCE($2, p.name), COALESCE($3, p.description), COALESCE($4, p.archived))
            IS DISTINCT FROM (p.name, p.description, p.archived) THEN now()
          ELSE p.updated_at END
      WHERE p.id = $1 RETURNING ${PROJECT_COLUMNS}`,
    [projectId, change.name ?? null, change.description ?? null, change.archived ?? null],
  );
  return row && projectFromRow(row);
}
