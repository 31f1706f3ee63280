import type { ActivityRecord } from '@taskstack/db/repositories';
import { z } from 'zod';

export const activityOutput = z
  .object({
    id: z.uuid(),
    actorId: z.uuid().nullable(),
    verb: z.string().openapi({ example: 'task.moved' }),
    subject: z.object({ type: z.string(), id: z.uuid() }),
    data: z.record(z.string(), z.unknown()).openapi({ description: 'What changed, by verb' }),
    createdAt: z.iso.datetime(),
  })
  .openapi('ActivityEvent');

/** The public shape of an activity event. */
export function presentActivity(event: ActivityRecord): z.infer<typeof activityOutput> {
  return {
    id: event.id,
    actorId: event.actorId ?? null,
    verb: event.verb,
    subject: { type: event.subjectType, id: event.subjectId },
    data: event.data,
    createdAt: event.createdAt.toISOString(),
  };
}
