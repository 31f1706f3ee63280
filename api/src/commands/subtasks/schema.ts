import { z } from 'zod';

/** The inputs of the subtask commands; a new subtask takes the task fields of `createTaskBody`. */

/** Subtasks are steps of one task; a bigger breakdown belongs in a project of its own. */
export const MAX_SUBTASKS = 100;

export const setParentBody = z
  .object({
    parentId: z.uuid().openapi({
      description: 'A task of the same project that is not itself a subtask',
    }),
  })
  .strict();
export type SetParentInput = z.infer<typeof setParentBody>;
