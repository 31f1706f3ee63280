import { TASK_PRIORITIES, TASK_STATUSES, TaskLabel, type Task } from '@taskstack/db';
import type { InferAttributes, Transaction } from 'sequelize';
import { z } from 'zod';

export const taskOutput = z
  .object({
    id: z.uuid(),
    projectId: z.uuid(),
    number: z.number().int().openapi({ description: 'Per-project, human readable (#12)' }),
    title: z.string(),
    description: z.string(),
    status: z.enum(TASK_STATUSES),
    position: z
      .string()
      .openapi({ description: 'Orders tasks in a status column; compare as plain strings' }),
    priority: z.enum(TASK_PRIORITIES),
    dueAt: z.iso.datetime().nullable(),
    assigneeId: z.uuid().nullable(),
    labelIds: z.array(z.uuid()),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Task');
export type TaskOutput = z.infer<typeof taskOutput>;

/** The columns a task is presented from: a model instance, or a plain row where speed matters (lists). */
export type TaskRecord = Pick<
  InferAttributes<Task>,
  | 'id'
  | 'projectId'
  | 'number'
  | 'title'
  | 'description'
  | 'status'
  | 'position'
  | 'priority'
  | 'dueAt'
  | 'assigneeId'
  | 'createdById'
  | 'createdAt'
  | 'updatedAt'
>;

/** The public shape of a task; `labelIds` come from `labelIdsOf`, loaded once for a whole page. */
export function presentTask(task: TaskRecord, labelIds: string[]): TaskOutput {
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
    labelIds,
    createdBy: task.createdById ?? null,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

/** Label ids of many tasks in one query (sorted, so output is stable). */
export async function labelIdsOf(
  taskIds: string[],
  transaction?: Transaction,
): Promise<Map<string, string[]>> {
  const map = new Map(taskIds.map((id) => [id, [] as string[]]));
  if (taskIds.length === 0) return map;
  const rows = await TaskLabel.findAll({ where: { taskId: taskIds }, transaction, raw: true });
  for (const row of rows) map.get(row.taskId)?.push(row.labelId);
  for (const ids of map.values()) ids.sort();
  return map;
}
