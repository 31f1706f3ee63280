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

const taskListQuery = z
  .object({
    status: z.enum(TASK_STATUSES).optional(),
    assigneeId: z.uuid().optional(),
    labelId: z.uuid().optional(),
    q: z.string().trim().min(1).max(200).optional().openapi({
      description: 'Full-text search over title and description: every word must match, as a word prefix',
    }),
    dueBefore: z.iso
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'Due before this instant' }),
    dueFrom: z.iso.datetime({ offset: true }).optional().openapi({
      description:
        'Due at or after this instant; with dueBefore a window of due dates (a calendar month or week)',
    }),
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

/** An empty or reversed due window is a mistake in the caller's date maths, worth a 400 rather than no rows. */
const orderedWindow = <Q extends { dueFrom?: string | undefined; dueBefore?: string | undefined }>(
  query: Q,
) => !query.dueFrom || !query.dueBefore || Date.parse(query.dueFrom) < Date.parse(query.dueBefore);
const windowIssue = { message: 'dueFrom must be before dueBefore', path: ['dueFrom'] };

export const listTasksQuery = taskListQuery.refine(orderedWindow, windowIssue);
export type ListTasksQuery = z.infer<typeof listTasksQuery>;

/** "My tasks": the same filters across a workspace, always assigned to the caller. */
export const myTasksQuery = taskListQuery.omit({ assigneeId: true }).refine(orderedWindow, windowIssue);
export type MyTasksQuery = z.infer<typeof myTasksQuery>;
export const workspaceParams = z.object({ id: z.uuid() }).strict();
