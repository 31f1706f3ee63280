import { recordActivity, trashTaskRows } from '@taskstack/db/repositories';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import type { EventPublisher } from '@taskstack/queues';
import { afterCommit } from '../side-effects.js';
import { announceParent } from '../subtasks/announce-parent.js';

/**
 * Moves a task to the trash with its subtasks (they come back with it) inside the route's transaction and records
 * it; once committed, announces each as deleted. Its comments, checklist and files stay until the trash is purged.
 */
export async function deleteTask(
  ctx: AppContext,
  events: EventPublisher,
  taskId: string,
  actorId: string,
  transaction: Transaction,
): Promise<void> {
  const db = ctx.sql.in(transaction);
  const trashed = await trashTaskRows(db, taskId, actorId);
  const task = trashed[0];
  if (!task) throw notFound('Task');
  await recordActivity(db, {
    workspaceId: task.workspaceId,
    projectId: task.projectId,
    actorId,
    verb: 'task.deleted',
    subjectType: 'task',
    subjectId: task.id,
    data: { number: task.number, title: task.title },
  });
  const { parentId } = task;
  transaction.afterCommit(() =>
    afterCommit(
      ctx,
      events,
      trashed.map((gone) => ({
        workspaceId: task.workspaceId,
        type: 'task.deleted' as const,
        data: { projectId: task.projectId, id: gone.id },
      })),
      parentId ? [() => announceParent(ctx, events, task.workspaceId, parentId)] : [],
    ),
  );
}
