import type { Label } from '@taskstack/db';
import { z } from 'zod';

export const labelOutput = z
  .object({ id: z.uuid(), workspaceId: z.uuid(), name: z.string(), color: z.string() })
  .openapi('Label');

/** The public shape of a label. */
export function presentLabel(label: Label): z.infer<typeof labelOutput> {
  return { id: label.id, workspaceId: label.workspaceId, name: label.name, color: label.color };
}
