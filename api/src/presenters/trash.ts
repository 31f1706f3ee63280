import type { TrashItem } from '@taskstack/db/repositories';
import { z } from 'zod';
import { trashKind } from '../commands/trash/schema.js';

export const trashItemOutput = z
  .object({
    kind: trashKind,
    id: z.uuid(),
    title: z
      .string()
      .openapi({ description: "A project's or task's name; a comment's first 140 characters" }),
    projectId: z.uuid(),
    projectName: z.string(),
    taskNumber: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The task's (or the comment's task's) number" }),
    deletedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    deletedAt: z.iso.datetime(),
    purgeAt: z.iso
      .datetime()
      .openapi({ description: "When the worker purges it, from the workspace's retention" }),
  })
  .openapi('TrashItem');

export const retentionOutput = z.object({ retentionDays: z.number().int() }).openapi('TrashRetentionSetting');

/** The public shape of a trashed item; `retentionDays` is its workspace's. */
export function presentTrashItem(item: TrashItem, retentionDays: number): z.infer<typeof trashItemOutput> {
  return {
    kind: item.kind,
    id: item.id,
    title: item.title,
    projectId: item.projectId,
    projectName: item.projectName,
    taskNumber: item.taskNumber,
    deletedBy: item.deletedBy,
    deletedAt: item.deletedAt.toISOString(),
    purgeAt: new Date(item.deletedAt.getTime() + retentionDays * 86_400_000).toISOString(),
  };
}
