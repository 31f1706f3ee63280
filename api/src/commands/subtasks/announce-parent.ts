import { findTask } from '@taskstack/db/repositories';
import type { AppContext } from '../../context.js';
import type { EventPublisher } from '@taskstack/queues';
import { presentTask } from '../../presenters/task.js';

/**
 * A subtask was added, removed, completed or reopened: the parent's card shows new progress, so the parent is
 * announced too (`task.updated`), read after the commit.
 */
export async function announceParent(
  ctx: AppContext,
  events: EventPublisher,
  workspaceId: string,
  parentId: string,
): Promise<void> {
  const found = await findTask(ctx.sql, parentId);
  if (!found) return;
  const task = presentTask(found.task, found.labelIds);
  await events.publish(workspaceId, 'task.updated', {
    projectId: task.projectId,
    task,
    changes: ['subtasks'],
  });
}
