import { TASK_STATUSES, type TaskStatus } from '@taskstack/db';
import type { ProjectRecord } from '@taskstack/db/repositories';
import { z } from 'zod';

export type TaskCounts = Record<TaskStatus, number>;

export const emptyTaskCounts = (): TaskCounts =>
  Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as TaskCounts;

export const projectOutput = z
  .object({
    id: z.uuid(),
    workspaceId: z.uuid(),
    name: z.string(),
    description: z.string(),
    archived: z.boolean(),
    taskCounts: z.object(Object.fromEntries(TASK_STATUSES.map((s) => [s, z.number().int()]))),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Project');

/** The public shape of a project; `taskCounts` counts its tasks per status column. */
export function presentProject(
  project: ProjectRecord,
  taskCounts: TaskCounts = emptyTaskCounts(),
): z.infer<typeof projectOutput> {
  return {
    id: project.id,
    workspaceId: project.workspaceId,
    name: project.name,
    description: project.description,
    archived: project.archived,
    taskCounts,
    createdAt: project.createdAt.toISOString(),
    updatedAt: project.updatedAt.toISOString(),
  };
}
