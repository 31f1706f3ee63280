import { TASK_STATUSES } from '@taskstack/db';
import { z } from 'zod';

/** The input of a bulk edit, validated by its route. */

/** A page of the list view; more than this is better done as several edits than one long-held set of locks. */
export const MAX_BULK_TASKS = 100;

const labelIds = z
  .array(z.uuid())
  .min(1)
  .max(50)
  .transform((ids) => [...new Set(ids)]);

export const bulkEditBody = z
  .object({
    ids: z
      .array(z.uuid())
      .min(1)
      .max(MAX_BULK_TASKS)
      .transform((ids) => [...new Set(ids)])
      .openapi({ description: `The tasks to change, all of this project (1–${MAX_BULK_TASKS})` }),
    changes: z
      .object({
        status: z.enum(TASK_STATUSES).optional().openapi({
          description: 'Tasks that change column go to its end, in the order of `ids`',
        }),
        assigneeId: z
          .uuid()
          .nullable()
          .optional()
          .openapi({ description: 'Must be a member; null unassigns' }),
        dueAt: z.iso
          .datetime({ offset: true })
          .transform((value) => new Date(value))
          .nullable()
          .optional(),
        addLabelIds: labelIds.optional(),
        removeLabelIds: labelIds.optional(),
        projectId: z
          .uuid()
          .optional()
          .openapi({
            description:
              'Moves the tasks to another project of the same workspace: new numbers there, each at the end of ' +
              'its column; subtask links that would cross projects are dropped',
          }),
      })
      .strict()
      .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
        message: 'names no change',
      }),
  })
  .strict();
export type BulkEditInput = z.infer<typeof bulkEditBody>;
