import type { TaskRecord } from './task.js';

/** The columns `taskFromRow` reads, for raw SQL (`t` is the tasks table or a CTE of its rows). */
export const TASK_COLUMNS = (t: string) =>
  [
    'id',
    'project_id',
    'number',
    'title',
    'description',
    'status',
    'position',
    'priority',
    'due_at',
    'assignee_id',
  ]
    .concat(['created_by_id', 'created_at', 'updated_at'])
    .map((column) => `${t}.${column}`)
    .join(', ');

/** A task from a raw row of TASK_COLUMNS: plain objects, since building model instances costs more than the query. */
export function taskFromRow(row: Record<string, unknown>): TaskRecord {
  return {
    id: row.id as string,
    projectId: row.project_id as string,
    number: row.number as number,
    title: row.title as string,
    description: row.description as string,
    status: row.status as TaskRecord['status'],
    position: row.position as string,
    priority: row.priority as TaskRecord['priority'],
    dueAt: row.due_at as Date | null,
    assigneeId: row.assignee_id as string | null,
    createdById: row.created_by_id as string | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}
