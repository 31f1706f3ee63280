import { occurrenceCreatedEvent } from '@taskstack/db/presenters';
import { findSeriesOfTask, spawnNextOccurrence } from '@taskstack/db/repositories';
import type { AppContext } from '../../context.js';
import type { EventPublisher } from '@taskstack/queues';
import { afterCommit } from '../side-effects.js';

/**
 * After a task was completed (its commit is done): if it is the latest occurrence of a series, creates the next
 * one in a transaction of its own and announces it. Running after the commit keeps completion's transaction as
 * it is; should this fail or the process stop first, the worker's catch-up job creates the occurrence instead,
 * and the (series, date) key keeps the two from both doing so.
 */
export async function continueSeries(
  ctx: AppContext,
  events: EventPublisher,
  taskId: string,
  now = new Date(),
): Promise<void> {
  const series = await findSeriesOfTask(ctx.sql, taskId);
  if (!series) return;
  const result = await ctx.sequelize.transaction((transaction) =>
    spawnNextOccurrence(ctx.sql.in(transaction), series.id, now),
  );
  if (result.kind !== 'created') return;
  await afterCommit(ctx, events, [occurrenceCreatedEvent(result)]);
}
