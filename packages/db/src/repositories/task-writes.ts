import type { TaskPriority, TaskStatus } from '../models/base.js';
import { raw, run, sql, type Queryable, type Statement } from '../sql.js';
import { columnEnd, lockProject, nextTaskNumber } from './projects.js';
import { LABEL_IDS, TASK_COLUMNS, taskFromRow, type TaskRecord } from './task-rows.js';

/**
 * The writes of the tasks aggregate. Create and move are batched by `Sql.batched` — `…Open` runs with
 * START TRANSACTION (take the project's row lock, then read what the position depends on), `…Commit` with COMMIT
 * (write the task and its activity event in one statement) — and shared with the benchmark's bare server, which
 * must send exactly these.
 */

/** The counter update takes the project's row lock; the second statement then reads the column's last key. */
export const createTaskOpen = (projectId: string, status: TaskStatus): Statement[] => [
  nextTaskNumber(projectId),
  columnEnd(projectId, status),
];

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
  parentId?: string | null | undefined;
  labelIds: string[];
  createdById: string;
};

/** Inserts the task, its labels and its `task.created` event; returns TASK_COLUMNS and `activity_id`. */
export function createTaskCommit(task: NewTask): Statement[] {
  const activity = { number: task.number, title: task.title, status: task.status };
  const labels = task.labelIds.length
    ? sql`labelled AS (INSERT INTO task_labels (task_id, label_id)
        SELECT task.id, label_id FROM task, unnest(${task.labelIds}::uuid[]) AS label_id),`
    : raw('');
  return [
    sql`WITH task AS (
      INSERT INTO tasks (workspace_id, project_id, number, title, description, status, position, priority, due_at,
        assignee_id, parent_id, created_by_id)
      VALUES (${task.workspaceId}, ${task.projectId}, ${task.number}, ${task.title}, ${task.description ?? ''},
        ${task.status}, ${task.position}, ${task.priority ?? 'none'}, ${task.dueAt ?? null}, ${task.assigneeId ?? null},
        ${task.parentId ?? null}, ${task.createdById})
      RETURNING ${raw(TASK_COLUMNS('tasks'))}
    ), ${labels} activity AS (
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
 * Locks the project, reads the task (`kind` 'task') with the neighbour named (`anchor`), then the key on the
 * other side of the new slot: after the anchor for `beforeId`, before it for `afterId`, else the column's end.
 */
export function moveTaskOpen(projectId: string, taskId: string, { status, beforeId, afterId }: MoveTarget) {
  const anchorId = beforeId ?? afterId;
  const slots = sql`SELECT 'task' AS kind, id, project_id, status, position FROM tasks WHERE id = ${taskId}
    ${anchorId ? sql`UNION ALL SELECT 'anchor', id, project_id, status, position FROM tasks WHERE id = ${anchorId}` : raw('')}`;
  const anchorPosition = sql`(SELECT position FROM tasks WHERE id = ${anchorId ?? null})`;
  const other = !anchorId
    ? columnEnd(projectId, status, taskId)
    : sql`SELECT position FROM tasks WHERE project_id = ${projectId} AND status = ${status} AND id <> ${taskId}
        ${beforeId ? sql`AND position > ${anchorPosition} ORDER BY position ASC` : sql`AND position < ${anchorPosition} ORDER BY position DESC`}
        LIMIT 1`;
  return [lockProject(projectId), slots, other];
}

export type Move = {
  taskId: string;
  actorId: string;
  status: TaskStatus;
  position: string;
  from: { status: TaskStatus; position: string };
};

/** Writes the move and its `task.moved` event; returns TASK_COLUMNS and `label_ids`. */
export function moveTaskCommit({ taskId, actorId, status, position, from }: Move): Statement[] {
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

export type TaskWithLabels = { task: TaskRecord; labelIds: string[] };

/** A task with its sorted label ids; `lock` takes its row lock (inside a transaction). */
export async function findTask(
  db: Queryable,
  taskId: string,
  { lock = false } = {},
): Promise<TaskWithLabels | undefined> {
  const [row] = await run(
    db,
    sql`SELECT ${raw(TASK_COLUMNS('t'))}, ${raw(LABEL_IDS('t'))} AS label_ids FROM tasks t WHERE t.id = ${taskId}
      ${raw(lock ? 'FOR UPDATE' : '')}`,
  );
  return row && { task: taskFromRow(row), labelIds: row.label_ids as string[] };
}

/** The columns a task's edit may write, by field. */
const EDITABLE = {
  title: 'title',
  description: 'description',
  status: 'status',
  position: 'position',
  priority: 'priority',
  dueAt: 'due_at',
  assigneeId: 'assignee_id',
} as const;
export type TaskChanges = Partial<{ -readonly [K in keyof typeof EDITABLE]: TaskRecord[K] }>;

/** Writes the changed fields (and `updated_at`); the task as it is now. */
export async function updateTaskRow(
  db: Queryable,
  taskId: string,
  changes: TaskChanges,
): Promise<TaskRecord> {
  const sets = Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => sql`${raw(EDITABLE[key as keyof typeof EDITABLE])} = ${value}, `);
  const set = sets.reduce((all, one) => sql`${all}${one}`, sql``);
  const [row] = await run(
    db,
    sql`UPDATE tasks SET ${set}updated_at = now() WHERE id = ${taskId} RETURNING ${raw(TASK_COLUMNS('tasks'))}`,
  );
  return taskFromRow(row!);
}

/** The next position in a column once the project is locked, and the lock itself. */
export async function lockedColumnEnd(
  db: Queryable,
  projectId: string,
  status: TaskStatus,
  excludeId: string,
): Promise<string | null> {
  await run(db, lockProject(projectId));
  const [last] = await run<{ position: string }>(db, columnEnd(projectId, status, excludeId));
  return last?.position ?? null;
}

/** Makes the task's labels exactly `next`, touching only the rows that change. */
export async function replaceTaskLabels(db: Queryable, taskId: string, current: string[], next: string[]) {
  const removed = current.filter((id) => !next.includes(id));
  const added = next.filter((id) => !current.includes(id));
  if (removed.length) {
    await run(
      db,
      sql`DELETE FROM task_labels WHERE task_id = ${taskId} AND label_id = ANY(${removed}::uuid[])`,
    );
  }
  if (added.length) {
    await run(
      db,
      sql`INSERT INTO task_labels (task_id, label_id)
        SELECT ${taskId}::uuid, label_id FROM unnest(${added}::uuid[]) AS label_id`,
    );
  }
}
