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
