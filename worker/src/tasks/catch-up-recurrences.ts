import { occurrenceCreatedEvent } from '@taskstack/db/presenters';
import { inTransaction, seriesAwaitingNext, spawnNextOccurrence } from '@taskstack/db/repositories';
import type { Job } from 'bullmq';
import type { TaskContext } from './context.js';

/** Series continued per query; the job loops until none is owed, so a long downtime is caught up in one run. */
const BATCH = 100;

/**
 * The `catch-up-recurrences` job: creates the next occurrence of every repeating task whose latest occurrence is
 * done but has no successor — the API normally makes it right after the completion, but it may have stopped
 * between commit and follow-up, or the completion came from somewhere else. Each series is continued in its own
 * transaction by the same repository function the API uses; its row lock and the (series, date) and (series,
 * follows) keys make a race with the API, another worker replica or a retry of this job create nothing twice.
 * Dates missed meanwhile are skipped: the next occurrence falls on today or later in the workspace's time zone.
 * Each new occurrence is published on the board's event stream (and to subscribed webhooks) like the API's.
 */
export function catchUpRecurrencesTask(ctx: TaskContext) {
  return async (_job: Job, now = new Date()): Promise<{ created: number }> => {
    let created = 0;
    const seen = new Set<string>();
    for (;;) {
      const owed = (await seriesAwaitingNext(ctx.db, BATCH + seen.size)).filter((id) => !seen.has(id));
      if (owed.length === 0) break;
      for (const id of owed) {
        seen.add(id);
        const result = await inTransaction(ctx.db, (db) => spawnNextOccurrence(db, id, now));
        if (result.kind !== 'created') continue;
        created += 1;
        // Announced as the API announces its own, so open boards show the card; the occurrence is saved either
        // way, so a failed announcement is logged rather than retried (a reload shows it).
        const event = occurrenceCreatedEvent(result);
        await ctx.events
          .publish(event.workspaceId, event.type, event.data)
          .catch((err: unknown) => ctx.logger.warn({ err, seriesId: id }, 'occurrence not announced'));
      }
    }
    if (created > 0) ctx.logger.info({ created }, 'repeating tasks caught up');
    return { created };
  };
}
