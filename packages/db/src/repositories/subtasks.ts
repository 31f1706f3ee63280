import { raw, run, sql, type Queryable } from '../sql.js';
import { LABEL_IDS, TASK_COLUMNS, taskFromRow } from './task-rows.js';
import type { TaskWithLabels } from './task-writes.js';

/** Subtasks: tasks with a `parent_id` in the same project, one level deep. */

const withLabels = (row: Record<string, unknown>): TaskWithLabels => ({
  task: taskFromRow(row),
  labelIds: row.label_ids as string[],
});

/** A parent's subtasks in creation order (their numbers). */
export async function findSubtasks(db: Queryable, parentId: string): Promise<TaskWithLabels[]> {
  const rows = await run(
    db,
    sql`SELECT ${raw(TASK_COLUMNS('t'))}, ${raw(LABEL_IDS('t'))} AS label_ids FROM tasks t
      WHERE t.parent_id = ${parentId} ORDER BY t.number`,
  );
  return rows.map(withLabels);
}

/** What the nesting rules look at, for each of `taskIds` found: its project, its parent, how many subtasks. */
export async function nestingFacts(
  db: Queryable,
  taskIds: string[],
): Promise<Map<string, { projectId: string; parentId: string | null; subtaskCount: number }>> {
  const rows = await run<{ id: string; project_id: string; parent_id: string | null; subtasks: number }>(
    db,
    sql`SELECT t.id, t.project_id, t.parent_id,
        (SELECT count(*)::int FROM tasks s WHERE s.parent_id = t.id) AS subtasks
      FROM tasks t WHERE t.id = ANY(${taskIds}::uuid[])`,
  );
  return new Map(
    rows.map((row) => [
      row.id,
      { projectId: row.project_id, parentId: row.parent_id, subtaskCount: row.subtasks },
    ]),
  );
}

/** Makes `taskId` a subtask of `parentId`, or (null) a task of its own again; the task as it is now. */
export async function setTaskParent(
  db: Queryable,
  taskId: string,
  parentId: string | null,
): Promise<TaskWithLabels | undefined> {
  const [row] = await run(
    db,
    sql`UPDATE tasks SET parent_id = ${parentId}, updated_at = now() WHERE id = ${taskId}
      RETURNING ${raw(TASK_COLUMNS('tasks'))}, ${raw(LABEL_IDS('tasks'))} AS label_ids`,
  );
  return row && withLabels(row);
}

/**
 * Takes the row locks of `taskIds` in id order (so two nesting changes over the same tasks cannot deadlock).
 * Read `nestingFacts` after it, in a statement of its own, to see what the previous holder committed.
 */
export async function lockTasks(db: Queryable, taskIds: string[]): Promise<void> {
  await run(db, sql`SELECT id FROM tasks WHERE id = ANY(${taskIds}::uuid[]) ORDER BY id FOR UPDATE`);
}

/** For a new subtask: locks the parent (after the project's lock, as moves do) and reads its nesting facts. */
export const parentForUpdate = (parentId: string) =>
  sql`SELECT t.project_id, t.parent_id, (SELECT count(*)::int FROM tasks s WHERE s.parent_id = t.id) AS subtasks
    FROM tasks t WHERE t.id = ${parentId} FOR UPDATE OF t`;
