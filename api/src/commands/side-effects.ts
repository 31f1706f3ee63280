import type { AppContext } from '../context.js';
import type { BoardEventType, EventPublisher } from '@taskstack/queues';

export type PendingEvent = { workspaceId: string; type: BoardEventType; data: unknown };

/**
 * Runs what must happen after a commit (realtime events, enqueued emails). The change is already saved, so a
 * failure here is logged rather than turned into an error response.
 */
export async function afterCommit(
  ctx: AppContext,
  events: EventPublisher,
  pending: PendingEvent[],
  more: Array<() => Promise<unknown>> = [],
): Promise<void> {
  const results = await Promise.allSettled([
    ...pending.map((event) => events.publish(event.workspaceId, event.type, event.data)),
    ...more.map((run) => run()),
  ]);
  for (const result of results) {
    if (result.status === 'rejected') ctx.logger.warn({ err: result.reason }, 'after-commit step failed');
  }
}
