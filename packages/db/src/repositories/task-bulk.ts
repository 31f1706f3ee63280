import type { TaskStatus } from '../models/base.js';
import { raw, run, sql, type Queryable } from '../sql.js';
import { LABEL_IDS, TASK_COLUMNS, taskFromRow } from './task-rows.js';
import type { TaskWithLabels } from './task-writes.js';

/** The statements of a bulk edit: many tasks of one project changed in one transaction, all or nothing. */

export type LockedTask = {
  id: string;
  status: TaskStatus;
  parentId: string | null;
  hasSubtasks: boolean;
};

/**
 * Locks the projects involved in id order (every write that picks positions takes its project's lock first), then
 * the tasks of `ids` that belong to `projectId`, also in id order. Fewer rows than ids: some are not tasks of it.
 */
export async function lockBulk(
  db: Queryable,
  projectIds: string[],
  projectId: string,
  ids: string[],
): Promise<LockedTask[]> {
  await run(db, sql`SELECT id FROM projects WHERE id = ANY(${projectIds}::uuid[]) ORDER BY id FOR UPDATE`);
  await run(
    db,
    sql`SELECT id FROM tasks WHERE id = ANY(${ids}::uuid[]) AND project_id = ${projectId} ORDER BY id FOR UPDATE`,
  );
  const rows = await run<{ id: string; status: TaskStatus; parent_id: string | null; has_subtasks: boolean }>(
    db,
    sql`SELECT t.id, t.status, t.parent_id, EXISTS (SELECT 1 FROM tasks s WHERE s.parent_id = t.id) AS has_subtasks
      FROM tasks t WHERE t.id = ANY(${ids}::uuid[]) AND t.project_id = ${projectId}`,
  );
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    parentId: row.parent_id,
    hasSubtasks: row.has_subtasks,
  }));
}

/** The last position of each status column of a project (read with the project locked), leaving out `ids`. */
export async function columnEnds(
  db: Queryable,
  projectId: string,
  ids: string[],
): Promise<Map<TaskStatus, string>> {
  const rows = await run<{ status: TaskStatus; position: string }>(
    db,
    sql`SELECT status, max(position COLLATE "C") AS position FROM tasks
      WHERE project_id = ${projectId} AND id <> ALL(${ids}::uuid[]) GROUP BY status`,
  );
  return new Map(rows.map((row) => [row.status, row.position]));
}

/** Takes `count` task numbers of a project at once; the first of them. */
export async function reserveTaskNumbers(db: Queryable, projectId: string, count: number): Promise<number> {
  const [row] = await run<{ task_counter: number }>(
    db,
    sql`UPDATE projects SET task_counter = task_counter + ${count} WHERE id = ${projectId} RETURNING task_counter`,
  );
  return row!.task_counter - count + 1;
}

/** Moves a task into another project of the same workspace, with its new number there. */
export async function moveTaskToProject(db: Queryable, taskId: string, projectId: string, number: number) {
  await run(
    db,
    sql`UPDATE tasks SET project_id = ${projectId}, number = ${number}, updated_at = now() WHERE id = ${taskId}`,
  );
}

/**
 * After a move between projects: subtask links that now cross projects are dropped (a moved subtask whose parent
 * stayed, a subtask that stayed behind its moved parent). The ids of the tasks that lost their parent.
 */
export async function dropCrossProjectParents(db: Queryable, movedIds: string[]): Promise<string[]> {
  const rows = await run<{ id: string }>(
    db,
    sql`UPDATE tasks t SET parent_id = NULL, updated_at = now() FROM tasks p
      WHERE t.parent_id = p.id AND t.project_id <> p.project_id
        AND (t.id = ANY(${movedIds}::uuid[]) OR p.id = ANY(${movedIds}::uuid[]))
      RETURNING t.id`,
  );
  return rows.map((row) => row.id);
}

/** Adds labels to every task of `taskIds` that lacks them. */
export async function addLabelsToTasks(db: Queryable, taskIds: string[], labelIds: string[]) {
  await run(
    db,
    sql`INSERT INTO task_labels (task_id, label_id)
      SELECT task_id, label_id FROM unnest(${taskIds}::uuid[]) AS task_id, unnest(${labelIds}::uuid[]) AS label_id
      ON CONFLICT DO NOTHING`,
  );
}

export async function removeLabelsFromTasks(db: Queryable, taskIds: string[], labelIds: string[]) {
  await run(
    db,
    sql`DELETE FROM task_labels WHERE task_id = ANY(${taskIds}::uuid[]) AND label_id = ANY(${labelIds}::uuid[])`,
  );
}

/** Tasks by id with their labels, in the order of `ids`. */
export async function findTasksByIds(db: Queryable, ids: string[]): Promise<TaskWithLabels[]> {
  const rows = await run(
    db,
    sql`SELECT ${raw(TASK_COLUMNS('t'))}, ${raw(LABEL_IDS('t'))} AS label_ids FROM tasks t
      WHERE t.id = ANY(${ids}::uuid[])`,
  );
  const byId = new Map(rows.map((row) => [row.id as string, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [{ task: taskFromRow(row), labelIds: row.label_ids as string[] }] : [];
  });
}
