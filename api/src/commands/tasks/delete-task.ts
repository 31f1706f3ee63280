import { Attachment, Task } from '@taskstack/db';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import type { EventPublisher } from '../../events/publisher.js';
import { recordActivity } from '../activity.js';
import { afterCommit } from '../side-effects.js';

/**
 * Deletes a task (comments, labels and attachment rows cascade) and records it. Returns the storage keys of its
 * attachments so the caller can remove the files once the rows are gone.
 */
export async function deleteTask(
  ctx: AppContext,
  events: EventPublisher,
  taskId: string,
  actorId: string,
): Promise<string[]> {
  const { task, keys } = await ctx.sequelize.transaction(async (transaction) => {
    const task = await Task.findByPk(taskId, { lock: transaction.LOCK.UPDATE, transaction });
    if (!task) throw notFound('Task');
    const attachments = await Attachment.findAll({
      where: { taskId },
      attributes: ['storageKey'],
      transaction,
    });
    await task.destroy({ transaction });
    await recordActivity(
      {
        workspaceId: task.workspaceId,
        projectId: task.projectId,
        actorId,
        verb: 'task.deleted',
        subjectType: 'task',
        subjectId: task.id,
        data: { number: task.number, title: task.title },
      },
      transaction,
    );
    return { task, keys: attachments.map((a) => a.storageKey) };
  });
  await afterCommit(ctx, events, [
    { workspaceId: task.workspaceId, type: 'task.deleted', data: { projectId: task.projectId, id: task.id } },
  ]);
  return keys;
}
