import { deleteTaskRow, recordActivity, releaseSubtasks } from '@taskstack/db/repositories';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import type { EventPublisher } from '../../events/publisher.js';
import { presentTask } from '../../presenters/task.js';
import { afterCommit } from '../side-effects.js';
import { announceParent } from '../subtasks/announce-parent.js';

/**
 * Deletes a task (comments, labels, checklist and attachment rows cascade; its subtasks become tasks) inside the route's transaction and records it;
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
  // Its subtasks stay, as tasks of their own, and are announced as changed.
  const released = await releaseSubtasks(db, taskId);
  const deleted = await deleteTaskRow(db, taskId);
  if (!deleted) throw notFound('Task');
  const { task, storageKeys } = deleted;
  const { parentId } = task;
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
        ...released.map(({ task: subtask, labelIds }) => ({
          workspaceId: task.workspaceId,
          type: 'task.updated' as const,
          data: { projectId: task.projectId, task: presentTask(subtask, labelIds), changes: ['parentId'] },
        })),
      ],
      [
        () => removeFiles(storageKeys),
        ...(parentId ? [() => announceParent(ctx, events, task.workspaceId, parentId)] : []),
      ],
    ),
  );
}
