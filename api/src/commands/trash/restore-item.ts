import {
  commentAccess,
  findProject,
  findTask,
  lockedColumnEnd,
  recordActivity,
  restoreCommentRow,
  restoreProjectRows,
  restoreTaskRows,
  updateTaskRow,
  type TrashedAccess,
} from '@taskstack/db/repositories';
import { generateKeyBetween } from 'fractional-indexing';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import type { EventPublisher } from '@taskstack/queues';
import { presentComment } from '../../presenters/comment.js';
import { presentProject } from '../../presenters/project.js';
import { presentTask } from '../../presenters/task.js';
import { afterCommit, type PendingEvent } from '../side-effects.js';
import { announceParent } from '../subtasks/announce-parent.js';

/**
 * Brings a trashed item back inside the route's transaction (a project with the tasks trashed with it, a task
 * with its subtasks) and, once committed, announces it so every open board shows it again. A restored task goes
 * to the end of its column: its old key may sit between cards added since.
 */
export async function restoreItem(
  ctx: AppContext,
  events: EventPublisher,
  item: TrashedAccess,
  actorId: string,
  transaction: Transaction,
): Promise<void> {
  const db = ctx.sql.in(transaction);
  const pending: PendingEvent[] = [];
  const more: Array<() => Promise<unknown>> = [];
  const { workspaceId } = item;
  if (item.kind === 'project') {
    if (!(await restoreProjectRows(db, item.id))) throw notFound('Trashed item');
    const project = await findProject(db, item.id);
    pending.push({ workspaceId, type: 'project.restored', data: { project: presentProject(project!) } });
  } else if (item.kind === 'comment') {
    if (!(await restoreCommentRow(db, item.id))) throw notFound('Trashed item');
    const found = await commentAccess(db, item.id, actorId);
    const { comment, task } = found!;
    pending.push({
      workspaceId,
      type: 'comment.restored',
      data: { projectId: task.projectId, taskId: task.id, comment: presentComment(comment) },
    });
  } else {
    const ids = await restoreTaskRows(db, item.id);
    if (!ids.length) throw notFound('Trashed item');
    for (const id of ids) {
      const { task } = (await findTask(db, id))!;
      const last = await lockedColumnEnd(db, task.projectId, task.status, task.id);
      await updateTaskRow(db, id, { position: generateKeyBetween(last, null) });
    }
    // Read once all are back, so the parent's subtask progress counts them.
    for (const id of ids) {
      const { task, labelIds } = (await findTask(db, id))!;
      pending.push({
        workspaceId,
        type: 'task.restored',
        data: { projectId: task.projectId, task: presentTask(task, labelIds) },
      });
    }
    const { task } = (await findTask(db, item.id))!;
    await recordActivity(db, {
      workspaceId,
      projectId: task.projectId,
      actorId,
      verb: 'task.restored',
      subjectType: 'task',
      subjectId: task.id,
      data: { number: task.number, title: task.title },
    });
    if (task.parentId) more.push(() => announceParent(ctx, events, workspaceId, task.parentId!));
  }
  transaction.afterCommit(() => afterCommit(ctx, events, pending, more));
}
