import type { TaskStatus } from '@taskstack/db';
import { moveTaskCommit, moveTaskOpen, taskFromRow, type TaskRef } from '@taskstack/db/repositories';
import { generateKeyBetween } from 'fractional-indexing';
import type { AppContext } from '../../context.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { EventPublisher } from '@taskstack/queues';
import { presentTask, type TaskOutput } from '../../presenters/task.js';
import type { MoveTaskInput } from './schema.js';
import { afterCommit } from '../side-effects.js';
import { announceParent } from '../subtasks/announce-parent.js';
import { continueSeries } from '../recurrences/continue-series.js';

type Slot = {
  kind: 'task' | 'anchor';
  id: string;
  project_id: string;
  status: TaskStatus;
  position: string;
};

/**
 * Moves a task into a column next to a neighbour. Only the moved row is written (a fractional key between its
 * new neighbours), and the project's row lock (SELECT … FOR UPDATE) makes concurrent moves take turns, so keys
 * stay unique and ordered. Two round trips in the transaction: lock and read, then write and commit — the lock
 * is held across one network turn only.
 */
export async function moveTask(
  ctx: AppContext,
  events: EventPublisher,
  ref: TaskRef,
  actorId: string,
  target: MoveTaskInput,
): Promise<TaskOutput> {
  const { status, beforeId, afterId } = target;
  const anchorId = beforeId ?? afterId;
  if (anchorId === ref.id) throw badRequest('A task cannot be moved next to itself.');
  const { row, fromStatus } = await ctx.sql.batched(async (tx) => {
    // A task never changes project, so the project found for authorization is the one to lock.
    const [, read, beyond] = await tx.open(moveTaskOpen(ref.projectId, ref.id, target));
    const slots = read as Slot[];
    const task = slots.find((slot) => slot.kind === 'task');
    if (!task) throw notFound('Task');
    const other = (beyond![0]?.position as string | undefined) ?? null;
    let position: string;
    if (anchorId) {
      const anchor = slots.find((slot) => slot.kind === 'anchor');
      if (!anchor || anchor.project_id !== task.project_id) {
        throw badRequest('Invalid body.', {
          errors: [{ path: beforeId ? 'beforeId' : 'afterId', message: 'is not a task of this project' }],
        });
      }
      if (anchor.status !== status)
        throw conflict('The neighbouring task has moved meanwhile; reload the board.');
      position = beforeId
        ? generateKeyBetween(anchor.position, other)
        : generateKeyBetween(other, anchor.position);
    } else {
      position = generateKeyBetween(other, null);
    }
    const from = { status: task.status, position: task.position };
    const [written] = await tx.commit(moveTaskCommit({ taskId: ref.id, actorId, status, position, from }));
    return { row: written![0]!, fromStatus: from.status };
  });
  const output = presentTask(taskFromRow(row), row.label_ids as string[]);
  const { parentId } = output;
  const completedOrReopened = fromStatus !== status && parentId;
  await afterCommit(
    ctx,
    events,
    [
      {
        workspaceId: ref.workspaceId,
        type: 'task.moved',
        data: { projectId: output.projectId, task: output },
      },
    ],
    [
      ...(completedOrReopened ? [() => announceParent(ctx, events, ref.workspaceId, parentId)] : []),
      ...(status === 'done' && fromStatus !== 'done' ? [() => continueSeries(ctx, events, ref.id)] : []),
    ],
  );
  return output;
}
