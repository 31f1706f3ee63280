import type { LabelRecord } from '@taskstack/db/repositories';
import { z } from 'zod';

export const labelOutput = z
  .object({ id: z.uuid(), workspaceId: z.uuid(), name: z.string(), color: z.string() })
  .openapi('Label');

/** The public shape of a label. */
export function presentLabel(label: LabelRecord): z.infer<typeof labelOutput> {
  return { id: label.id, workspaceId: label.workspaceId, name: label.name, color: label.color };
}
