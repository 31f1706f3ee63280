import { Task } from '@taskstack/db';
import type { AppContext } from '../../context.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { EventPublisher } from '../../events/publisher.js';
import { labelIdsOf, presentTask, type TaskOutput } from '../../presenters/task.js';
import type { MoveTaskInput } from '../../routes/tasks/schema.js';
import { recordActivity } from '../activity.js';
import { afterCommit } from '../side-effects.js';
import { after, before, endOfColumn, lockProject } from './positions.js';

/**
 * Moves a task into a column next to a neighbour. Only the moved row is written (a fractional key between its
 * new neighbours), and the project's row lock makes concurrent moves take turns, so keys stay unique and ordered.
 */
export async function moveTask(
  ctx: AppContext,
  events: EventPublisher,
  loaded: Task,
  actorId: string,
  { status, beforeId, afterId }: MoveTaskInput,
): Promise<TaskOutput> {
  const anchorId = beforeId ?? afterId;
  const taskId = loaded.id;
  if (anchorId === taskId) throw badRequest('A task cannot be moved next to itself.');
  const moved = await ctx.sequelize.transaction(async (transaction) => {
    // A task never changes project, so the copy loaded for authorization names the project to lock.
    await lockProject(loaded.projectId, transaction);
    // The task and its neighbour in one read: the project lock is held from here to the commit.
    const rows = await Task.findAll({ where: { id: anchorId ? [taskId, anchorId] : [taskId] }, transaction });
    const task = rows.find((row) => row.id === taskId);
    if (!task) throw notFound('Task');
    const column = { sequelize: ctx.sequelize, projectId: task.projectId, status, exclude: task.id };
    let position: string;
    if (anchorId) {
      const anchor = rows.find((row) => row.id === anchorId);
      if (!anchor || anchor.projectId !== task.projectId) {
        throw badRequest('Invalid body.', {
          errors: [{ path: beforeId ? 'beforeId' : 'afterId', message: 'is not a task of this project' }],
        });
      }
      if (anchor.status !== status)
        throw conflict('The neighbouring task has moved meanwhile; reload the board.');
      position = beforeId
        ? await after(column, anchor.position, transaction)
        : await before(column, anchor.position, transaction);
    } else {
      position = await endOfColumn(column, transaction);
    }
    const from = { status: task.status, position: task.position };
    await task.update({ status, position }, { transaction });
    await recordActivity(
      {
        workspaceId: task.workspaceId,
        projectId: task.projectId,
        actorId,
        verb: 'task.moved',
        subjectType: 'task',
        subjectId: task.id,
        data: { from, to: { status, position } },
      },
      transaction,
    );
    return task;
  });
  // Labels are read after the commit, so the project lock is not held for them.
  const labels = (await labelIdsOf([moved.id])).get(moved.id)!;
  const output = presentTask(moved, labels);
  await afterCommit(ctx, events, [
    {
      workspaceId: moved.workspaceId,
      type: 'task.moved',
      data: { projectId: output.projectId, task: output },
    },
  ]);
  return output;
}
