import { TASK_PRIORITIES, TASK_STATUSES } from '@taskstack/db';
import { presentTask as sharedPresentTask } from '@taskstack/db/presenters';
import type { TaskRecord } from '@taskstack/db/repositories';
import { z } from 'zod';

const progress = z
  .object({ done: z.number().int(), total: z.number().int() })
  .openapi('Progress', { description: 'How many are done out of how many' });

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
    parentId: z.uuid().nullable().openapi({
      description: 'The task this one is a subtask of (same project; subtasks have no subtasks of their own)',
    }),
    checklist: progress.openapi({ description: 'Checklist items done / total' }),
    subtasks: progress.openapi({ description: 'Subtasks done / total' }),
    labelIds: z.array(z.uuid()),
    createdBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Task');
export type TaskOutput = z.infer<typeof taskOutput>;

/** Typed as the schema, so the shared presenter cannot drift from the documented shape. */
export const presentTask: (task: TaskRecord, labelIds: string[]) => TaskOutput = sharedPresentTask;
