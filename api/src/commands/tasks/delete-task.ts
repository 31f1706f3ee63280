import { deleteTaskRow, recordActivity } from '@taskstack/db/repositories';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import type { EventPublisher } from '../../events/publisher.js';
import { afterCommit } from '../side-effects.js';

/**
 * Deletes a task (comments, labels and attachment rows cascade) inside the route's transaction and records it;
 * once committed, announces it and removes its attachments' files with `removeFiles`.
 */
export async function deleteTask(
  ctx: AppContext,
  events: EventPublisher,
  removeFiles: (keys: string[]) => Promise<void>,
  taskId: string,
  actorId: string,
  transaction: Transaction,
): Promise<void> {
  const db = ctx.sql.in(transaction);
  const deleted = await deleteTaskRow(db, taskId);
  if (!deleted) throw notFound('Task');
  const { task, storageKeys } = deleted;
  await recordActivity(db, {
    workspaceId: task.workspaceId,
    projectId: task.projectId,
    actorId,
    verb: 'task.deleted',
    subjectType: 'task',
    subjectId: task.id,
    data: { number: task.number, title: task.title },
  });
  transaction.afterCommit(() =>
    afterCommit(
      ctx,
      events,
      [
        {
          workspaceId: task.workspaceId,
          type: 'task.deleted',
          data: { projectId: task.projectId, id: task.id },
        },
      ],
      [() => removeFiles(storageKeys)],
    ),
  );
}
