import { z } from 'zod';

/** The inputs of the checklist commands, validated by the routes that call them. */

export const checklistItemParams = z.object({ id: z.uuid() }).strict();

/** A task's checklist is meant to be read at a glance; past this, it is a project of its own. */
export const MAX_CHECKLIST_ITEMS = 200;

const text = z.string().trim().min(1).max(500);
const dueAt = z.iso.datetime({ offset: true }).transform((value) => new Date(value));

export const createChecklistItemBody = z
  .object({
    text,
    done: z.boolean().optional(),
    assigneeId: z.uuid().nullable().optional().openapi({ description: 'Must be a member of the workspace' }),
    dueAt: dueAt.nullable().optional(),
  })
  .strict();
export type CreateChecklistItemInput = z.infer<typeof createChecklistItemBody>;

export const updateChecklistItemBody = createChecklistItemBody.partial().strict();
export type UpdateChecklistItemInput = z.infer<typeof updateChecklistItemBody>;

export const moveChecklistItemBody = z
  .object({
    index: z
      .number()
      .int()
      .min(0)
      .max(MAX_CHECKLIST_ITEMS)
      .openapi({ description: "The item's new 0-based place in the list; past the end means last" }),
  })
  .strict();
export type MoveChecklistItemInput = z.infer<typeof moveChecklistItemBody>;
