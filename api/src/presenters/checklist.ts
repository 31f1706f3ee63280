import type { ChecklistItemRecord, Progress } from '@taskstack/db/repositories';
import { z } from 'zod';

export const checklistItemOutput = z
  .object({
    id: z.uuid(),
    taskId: z.uuid(),
    text: z.string(),
    done: z.boolean(),
    position: z
      .string()
      .openapi({ description: 'Orders the items of a checklist; compare as plain strings' }),
    assigneeId: z.uuid().nullable(),
    dueAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('ChecklistItem');
export type ChecklistItemOutput = z.infer<typeof checklistItemOutput>;

export const checklistOutput = z.array(checklistItemOutput).openapi('Checklist');

export function presentChecklistItem(item: ChecklistItemRecord): ChecklistItemOutput {
  return {
    id: item.id,
    taskId: item.taskId,
    text: item.text,
    done: item.done,
    position: item.position,
    assigneeId: item.assigneeId,
    dueAt: item.dueAt ? item.dueAt.toISOString() : null,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}

/** The `checklist.updated` event: the whole list as committed, so a client simply replaces what it shows. */
export type ChecklistEvent = {
  projectId: string;
  taskId: string;
  items: ChecklistItemOutput[];
  progress: Progress;
};
