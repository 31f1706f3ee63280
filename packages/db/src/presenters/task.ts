import type { TaskRecord } from '../repositories/task-rows.js';

/** A task as clients see it, in API answers and in events (the API's `Task` schema documents this shape). */
export type TaskView = Omit<TaskRecord, 'dueAt' | 'createdById' | 'createdAt' | 'updatedAt'> & {
  dueAt: string | null;
  labelIds: string[];
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
};

/**
 * The public shape of a task (its record and sorted label ids, as the tasks repository reads them). Here rather
 * than in the API because the worker announces the tasks it creates too, and clients must not tell the two apart.
 */
export function presentTask(task: TaskRecord, labelIds: string[]): TaskView {
  return {
    id: task.id,
    projectId: task.projectId,
    number: task.number,
    title: task.title,
    description: task.description,
    status: task.status,
    position: task.position,
    priority: task.priority,
    dueAt: task.dueAt ? task.dueAt.toISOString() : null,
    assigneeId: task.assigneeId ?? null,
    parentId: task.parentId ?? null,
    checklist: task.checklist,
    subtasks: task.subtasks,
    labelIds,
    createdBy: task.createdById ?? null,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}
