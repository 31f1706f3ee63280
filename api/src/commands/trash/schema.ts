/** The inputs of the trash routes. */
import { z } from 'zod';
import '../../openapi/registry.js';
import { pageQuery } from '../../pagination.js';

/** A year at most: the trash is for undoing mistakes, not an archive (the column's check says the same). */
export const MAX_RETENTION_DAYS = 365;

export const TRASH_KINDS = ['task', 'comment', 'project'] as const;
export const trashKind = z.enum(TRASH_KINDS).openapi('TrashKind');

export const workspaceParams = z.object({ id: z.uuid() }).strict();
export const trashItemParams = z.object({ kind: trashKind, id: z.uuid() }).strict();
export const listTrashQuery = z.object(pageQuery).strict();

export const retentionBody = z
  .object({
    retentionDays: z
      .number()
      .int()
      .min(1)
      .max(MAX_RETENTION_DAYS)
      .openapi({ description: `Days a trashed item is kept (1–${MAX_RETENTION_DAYS})` }),
  })
  .strict()
  .openapi('TrashRetention');
