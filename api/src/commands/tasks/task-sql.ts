import type { TaskPriority, TaskStatus } from '@taskstack/db';
import { raw, sql } from '../../lib/raw-sql.js';
import { TASK_COLUMNS } from '../../presenters/task-row.js';

/**
 * The statements of create-task and move-task, batched by `batchedTransaction`: `…Open` runs with
 * START TRANSACTION (take the project's row lock, then read what the position depends on), `…Commit` with COMMIT
 * (write the task and its activity event in one statement). Shared with the benchmark's bare server, which must
 * send exactly these.
 */

const LABEL_IDS = (t: string) =>
  `(SELECT COALESCE(json_agg(tl.label_id ORDER BY tl.label_id), '[]') FROM task_labels tl WHERE tl.task_id = ${t}.id)`;

/** The counter update takes the project's row lock; the second statement then reads the column's last key. */
export function createTaskOpen(projectId: string, status: TaskStatus): string[] {
  return [
    sql`UPDATE projects SET task_counter = task_counter + 1 WHERE id = ${projectId} RETURNING task_counter`,
    sql`SELECT position FROM tasks WHERE project_id = ${projectId} AND status = ${status}
      ORDER BY position DESC LIMIT 1`,
  ];
}

export type NewTask = {
  workspaceId: string;
  projectId: string;
  number: number;
  title: string;
  description?: string | undefined;
  status: TaskStatus;
  position: string;
  priority?: TaskPriority | undefined;
  dueAt?: Date | null | undefined;
  assigneeId?: string | null | undefined;
  labelIds: string[];
  createdById: string;
};

/** Inserts the task, its labels and its `task.created` event; returns TASK_COLUMNS and `activity_id`. */
export function createTaskCommit(task: NewTask): string[] {
  const activity = { number: task.number, title: task.title, status: task.status };
  const labels = task.labelIds.length
    ? sql`labelled AS (INSERT INTO task_labels (task_id, label_id)
        SELECT task.id, label_id FROM task, unnest(${task.labelIds}::uuid[]) AS label_id),`
    : '';
  return [
    sql`WITH task AS (
      INSERT INTO tasks (workspace_id, project_id, number, title, description, status, position, priority, due_at,
        assignee_id, created_by_id)
      VALUES (${task.workspaceId}, ${task.projectId}, ${task.number}, ${task.title}, ${task.description ?? ''},
        ${task.status}, ${task.position}, ${task.priority ?? 'none'}, ${task.dueAt ?? null}, ${task.assigneeId ?? null},
        ${task.createdById})
      RETURNING ${raw(TASK_COLUMNS('tasks'))}
    ), ${raw(labels)} activity AS (
      INSERT INTO activity_events (workspace_id, project_id, actor_id, verb, subject_type, subject_id, data)
      SELECT ${task.workspaceId}, ${task.projectId}, ${task.createdById}, 'task.created', 'task', task.id,
        ${JSON.stringify(activity)}::jsonb FROM task
      RETURNING id
    )
    SELECT task.*, activity.id AS activity_id FROM task, activity`,
  ];
}

export type MoveTarget = { status: TaskStatus; beforeId?: string | undefined; afterId?: string | undefined };

/**
 * Locks the project (SELECT … FOR UPDATE), then in one statement reads the task (`kind` 'task'), the neighbour
 * named (`anchor`) and the key on the other side of the new slot (`neighbour`): after the anchor for `beforeId`,
 * before it for `afterId`, else the column's last key.
 */
export function moveTaskOpen(projectId: string, taskId: string, { status, beforeId, afterId }: MoveTarget) {
  const anchorId = beforeId ?? afterId;
  const anchorPosition = sql`(SELECT position FROM tasks WHERE id = ${anchorId ?? null})`;
  const slot = !anchorId
    ? 'ORDER BY position DESC'
    : beforeId
      ? `AND position > ${anchorPosition} ORDER BY position ASC`
      : `AND position < ${anchorPosition} ORDER BY position DESC`;
  const anchor = anchorId
    ? sql`UNION ALL SELECT 'anchor', id, project_id, status, position FROM tasks WHERE id = ${anchorId}`
    : '';
  return [
    sql`SELECT id FROM projects WHERE id = ${projectId} FOR UPDATE`,
    sql`SELECT 'task' AS kind, id, project_id, status, position FROM tasks WHERE id = ${taskId}
      ${raw(anchor)}
      UNION ALL (SELECT 'neighbour', id, project_id, status, position FROM tasks
        WHERE project_id = ${projectId} AND status = ${status} AND id <> ${taskId} ${raw(slot)} LIMIT 1)`,
  ];
}

export type Move = {
  taskId: string;
  actorId: string;
  status: TaskStatus;
  position: string;
  from: { status: TaskStatus; position: string };
};

/** Writes the move and its `task.moved` event; returns TASK_COLUMNS and `label_ids`. */
export function moveTaskCommit({ taskId, actorId, status, position, from }: Move): string[] {
  const data = { from, to: { status, position } };
  return [
    sql`WITH moved AS (
      UPDATE tasks SET status = ${status}, position = ${position}, updated_at = now() WHERE id = ${taskId}
      RETURNING ${raw(TASK_COLUMNS('tasks'))}, tasks.workspace_id
    ), activity AS (
      INSERT INTO activity_events (workspace_id, project_id, actor_id, verb, subject_type, subject_id, data)
      SELECT workspace_id, project_id, ${actorId}, 'task.moved', 'task', id, ${JSON.stringify(data)}::jsonb FROM moved
    )
    SELECT moved.*, ${raw(LABEL_IDS('moved'))} AS label_ids FROM moved`,
  ];
}
