import { TRANSFER_SOURCES } from '@taskstack/queues';
import { z } from 'zod';
import '../../openapi/registry.js';

export const workspaceParams = z.object({ id: z.uuid() }).strict();
export const transferParams = z.object({ id: z.uuid(), transferId: z.uuid() }).strict();

const column = (field: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: `CSV: the header of the column that holds the ${field}` });

/**
 * An import names its source; a CSV import also names which header feeds which field (the web app lets the admin
 * pick them from the file's header row). Query parameters, since the body is the file itself.
 */
export const importQuery = z
  .object({
    source: z.enum(TRANSFER_SOURCES).openapi('ImportSource'),
    titleColumn: column('title (required for CSV)'),
    descriptionColumn: column('description'),
    statusColumn: column('status (backlog, to do, in progress, done…)'),
    priorityColumn: column('priority (none, low, medium, high, urgent)'),
    dueAtColumn: column('due date (ISO 8601)'),
    assigneeColumn: column("assignee's email"),
    labelsColumn: column('labels (separated by , ; or |)'),
    projectColumn: column('project name (one project per distinct value)'),
  })
  .strict();
export type ImportQuery = z.infer<typeof importQuery>;

export const uploadBody = z.object({ file: z.string().openapi({ format: 'binary' }) });
