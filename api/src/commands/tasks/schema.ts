import { TASK_PRIORITIES, TASK_STATUSES } from '@taskstack/db';
import { TASK_SORTS } from '@taskstack/db/repositories';
import { z } from 'zod';
import { pageQuery } from '../../pagination.js';

/** The inputs of the task commands, validated by the routes that call them. */

export const projectParams = z.object({ id: z.uuid() }).strict();
export const taskParams = z.object({ id: z.uuid() }).strict();

const title = z.string().trim().min(1).max(500);
const description = z.string().max(50_000);
const dueAt = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const labelIds = z
  .array(z.uuid())
  .max(50)
  .transform((ids) => [...new Set(ids)]);

export const createTaskBody = z
  .object({
    title,
    description: description.optional(),
    status: z.enum(TASK_STATUSES).optional(),
    priority: z.enum(TASK_PRIORITIES).optional(),
    dueAt: dueAt.nullable().optional(),
    assigneeId: z.uuid().nullable().optional(),
    labelIds: labelIds.optional(),
  })
  .strict();
export type CreateTaskInput = z.infer<typeof createTaskBody>;

export const updateTaskBody = createTaskBody.partial().strict();
export type UpdateTaskInput = z.infer<typeof updateTaskBody>;

export const moveTaskBody = z
  .object({
    status: z.enum(TASK_STATUSES),
    beforeId: z.uuid().optional().openapi({
      description: 'The task that ends up directly above the moved one (the new position is after it)',
    }),
    afterId: z
      .uuid()
      .optional()
      .openapi({
        description:
          'The task that ends up directly below the moved one (the new position is before it); ' +
          'used when beforeId is absent. Neither: the end of the column.',
      }),
  })
  .strict();
export type MoveTaskInput = z.infer<typeof moveTaskBody>;

export const listTasksQuery = z
  .object({
    status: z.enum(TASK_STATUSES).optional(),
    assigneeId: z.uuid().optional(),
    labelId: z.uuid().optional(),
    q: z.string().trim().min(1).max(200).optional().openapi({
      description: 'Full-text search over title and description: every word must match, as a word prefix',
    }),
    dueBefore: z.iso.datetime({ offset: true }).optional(),
    sort: z
      .enum(TASK_SORTS)
      .default('position')
      .openapi({
        description:
          'position: by status column then position; dueAt: soonest first, no due date last; ' +
          'createdAt: newest first; priority: most urgent first',
      }),
    ...pageQuery,
  })
  .strict();
export type ListTasksQuery = z.infer<typeof listTasksQuery>;
