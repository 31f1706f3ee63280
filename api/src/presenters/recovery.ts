import type { RecoveryStatus } from '@taskstack/db/repositories';
import { z } from 'zod';
import '../openapi/registry.js';

export const recoveryOutput = z
  .object({
    archiving: z.boolean().openapi({ description: 'The database server archives WAL (pgBackRest)' }),
    recoveryPoint: z
      .string()
      .nullable()
      .openapi({ description: 'Newest restorable moment: when the server last archived WAL' }),
    recoveryPointAgeSeconds: z.number().nullable(),
    archiveFailing: z.boolean(),
    window: z
      .object({ from: z.string(), to: z.string() })
      .nullable()
      .openapi({ description: 'Any moment in [from, to] can be restored; null until the first backup' }),
    lastDrill: z
      .object({
        id: z.uuid(),
        // A named schema: the web app's generated enum lists cannot reach into a nullable object.
        status: z.enum(['passed', 'failed']).openapi('DrillStatus'),
        targetTime: z.string().nullable(),
        problems: z.array(z.string()),
        startedAt: z.string(),
        finishedAt: z.string().nullable(),
      })
      .nullable(),
  })
  .openapi('Recovery');

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** Point-in-time recovery at a glance for the admin screen: how recent, how far back, and the last proof. */
export function presentRecovery(status: RecoveryStatus, now = new Date()): z.infer<typeof recoveryOutput> {
  const { recoveryPoint, windowStart, lastDrill } = status;
  return {
    archiving: status.archiving,
    recoveryPoint: iso(recoveryPoint),
    recoveryPointAgeSeconds: recoveryPoint
      ? Math.max(0, Math.round((now.getTime() - recoveryPoint.getTime()) / 1000))
      : null,
    archiveFailing: status.archiveFailing,
    window:
      windowStart && recoveryPoint && windowStart <= recoveryPoint
        ? { from: windowStart.toISOString(), to: recoveryPoint.toISOString() }
        : null,
    lastDrill:
      lastDrill && lastDrill.status !== 'running'
        ? {
            id: lastDrill.id,
            status: lastDrill.status,
            targetTime: iso(lastDrill.targetTime),
            problems: lastDrill.problems,
            startedAt: lastDrill.startedAt.toISOString(),
            finishedAt: iso(lastDrill.finishedAt),
          }
        : null,
  };
}
