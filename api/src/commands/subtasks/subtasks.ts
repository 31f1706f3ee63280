import {
  findSubtasks,
  findTask,
  lockTasks,
  nestingFacts,
  recordActivity,
  setTaskParent,
  type TaskRef,
} from '@taskstack/db/repositories';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../../context.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { EventPublisher } from '@taskstack/queues';
import { presentTask, type TaskOutput } from '../../presenters/task.js';
import { afterCommit } from '../side-effects.js';
import { announceParent } from './announce-parent.js';
import { MAX_SUBTASKS } from './schema.js';

const invalidParent = (message: string) =>
  badRequest('Invalid body.', { errors: [{ path: 'parentId', message }] });

/** A task's subtasks, in the order they were created. */
export async function listSubtasks(ctx: AppContext, ref: TaskRef): Promise<TaskOutput[]> {
  return (await findSubtasks(ctx.sql, ref.id)).map(({ task, labelIds }) => presentTask(task, labelIds));
}

/**
 * Makes a task a subtask of `parentId` (a task of the same project), or with null a task of its own again
 * (promotion). One level deep: a parent is never a subtask and a subtask never has subtasks, so no cycle can
 * form. Both rows are locked first, so two changes at once cannot build a chain between them.
 */
export async function setParent(
  ctx: AppContext,
  events: EventPublisher,
  ref: TaskRef,
  actorId: string,
  parentId: string | null,
  transaction: Transaction,
): Promise<TaskOutput> {
  const db = ctx.sql.in(transaction);
  if (parentId === ref.id) throw invalidParent('cannot be the task itself');
  const ids = parentId ? [ref.id, parentId] : [ref.id];
  await lockTasks(db, ids);
  const facts = await nestingFacts(db, ids);
  const task = facts.get(ref.id);
  if (!task) throw notFound('Task');
  if (parentId) {
    const parent = facts.get(parentId);
    if (!parent || parent.projectId !== task.projectId) throw invalidParent('is not a task of this project');
    if (parent.parentId) throw invalidParent('is a subtask itself; subtasks have no subtasks of their own');
    if (task.subtaskCount > 0) {
      throw conflict('This task has subtasks of its own, so it cannot become a subtask.');
    }
    if (task.parentId !== parentId && parent.subtaskCount >= MAX_SUBTASKS) {
      throw conflict(`A task holds at most ${MAX_SUBTASKS} subtasks.`);
    }
  }
  const previous = task.parentId;
  if (previous === parentId) {
    const unchanged = (await findTask(db, ref.id))!;
    return presentTask(unchanged.task, unchanged.labelIds);
  }
  const updated = (await setTaskParent(db, ref.id, parentId))!;
  await recordActivity(db, {
    workspaceId: ref.workspaceId,
    projectId: ref.projectId,
    actorId,
    verb: 'task.updated',
    subjectType: 'task',
    subjectId: ref.id,
    data: { changes: { parentId: { from: previous, to: parentId } } },
  });
  const output = presentTask(updated.task, updated.labelIds);
  const parents = [previous, parentId].filter((id): id is string => id !== null);
  transaction.afterCommit(() =>
    afterCommit(
      ctx,
      events,
      [
        {
          workspaceId: ref.workspaceId,
          type: 'task.updated',
          data: { projectId: ref.projectId, task: output, changes: ['parentId'] },
        },
      ],
      parents.map((id) => () => announceParent(ctx, events, ref.workspaceId, id)),
    ),
  );
  return output;
}
