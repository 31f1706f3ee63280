import type { TaskPriority, TaskStatus } from '../models/base.js';

/** How many of a task's checklist items (or subtasks) are done. */
export type Progress = { done: number; total: number };

/** A task as the API reads it: plain objects, since building model instances costs more than the query. */
export type TaskRecord = {
  id: string;
  projectId: string;
  number: number;
  title: string;
  description: string;
  status: TaskStatus;
  position: string;
  priority: TaskPriority;
  dueAt: Date | null;
  assigneeId: string | null;
  /** The task this one is a subtask of (same project, one level deep). */
  parentId: string | null;
  checklist: Progress;
  subtasks: Progress;
  createdById: string | null;
  createdAt: Date;
  updatedAt: Date;
};

/**
 * The columns `taskFromRow` reads (`t` is the tasks table, also inside RETURNING). The progress counts are read
 * with the task, by index, rather than kept on its row: every checklist or subtask write would otherwise have to
 * update the parent too, and a missed path would leave the count wrong for good.
 */
export const TASK_COLUMNS = (t: string) =>
  ['id', 'project_id', 'number', 'title', 'description', 'status', 'position', 'priority', 'due_at']
    .concat(['assignee_id', 'parent_id', 'created_by_id', 'created_at', 'updated_at'])
    .map((column) => `${t}.${column}`)
    .concat([
      `(SELECT json_build_object('done', count(*) FILTER (WHERE c.done), 'total', count(*))
        FROM checklist_items c WHERE c.task_id = ${t}.id) AS checklist`,
      `(SELECT json_build_object('done', count(*) FILTER (WHERE s.status = 'done'), 'total', count(*))
        FROM tasks s WHERE s.parent_id = ${t}.id) AS subtasks`,
    ])
    .join(', ');

/** The sorted label ids of each row of `t`, as a JSON array. */
export const LABEL_IDS = (t: string) =>
  `(SELECT COALESCE(json_agg(tl.label_id ORDER BY tl.label_id), '[]') FROM task_labels tl WHERE tl.task_id = ${t}.id)`;

/** The one mapping of a row of TASK_COLUMNS to a task. */
export function taskFromRow(row: Record<string, unknown>): TaskRecord {
  return {
    id: row.id as string,
    projectId: row.project_id as string,
    number: row.number as number,
    title: row.title as string,
    description: row.description as string,
    status: row.status as TaskStatus,
    position: row.position as string,
    priority: row.priority as TaskPriority,
    dueAt: row.due_at as Date | null,
    assigneeId: row.assignee_id as string | null,
    parentId: row.parent_id as string | null,
    checklist: row.checklist as Progress,
    subtasks: row.subtasks as Progress,
    createdById: row.created_by_id as string | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}
