import type { TaskStatus } from '@taskstack/db';
import {
  addLabelsToTasks,
  columnEnds,
  dropCrossProjectParents,
  findTasksByIds,
  lockBulk,
  moveTaskToProject,
  projectAccess,
  recordActivity,
  removeLabelsFromTasks,
  reserveTaskNumbers,
  updateTaskRow,
  type ProjectRef,
  type TaskChanges,
} from '@taskstack/db/repositories';
import { generateNKeysBetween } from 'fractional-indexing';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../../context.js';
import { badRequest, HttpError } from '../../errors.js';
import type { EventPublisher } from '@taskstack/queues';
import { presentTask, type TaskOutput } from '../../presenters/task.js';
import { afterCommit, type PendingEvent } from '../side-effects.js';
import { announceParent } from '../subtasks/announce-parent.js';
import { continueSeries } from '../recurrences/continue-series.js';
import { checkAssignee, checkLabels } from '../tasks/references.js';
import type { BulkEditInput } from './schema.js';

const invalid = (path: string, message: string) =>
  badRequest('Invalid body.', { errors: [{ path, message }] });

/** The task field checks name `assigneeId` or `labelIds`; here those sit at `path` of the body. */
const under = (path: string) => (error: unknown) => {
  if (!(error instanceof HttpError) || error.status !== 400) throw error;
  throw badRequest(error.message, {
    errors: (error.extra.errors as { message: string }[]).map(({ message }) => ({ path, message })),
  });
};

/**
 * Changes many tasks of one project in the route's transaction: every reference is checked and every task must be
 * of this project before anything is written, so a bad id or field changes nothing (400). Moving to another
 * project keeps the workspace; the tasks get numbers there and go to the end of their columns.
 */
export async function bulkEdit(
  ctx: AppContext,
  events: EventPublisher,
  project: ProjectRef,
  actorId: string,
  { ids, changes }: BulkEditInput,
  transaction: Transaction,
): Promise<TaskOutput[]> {
  const db = ctx.sql.in(transaction);
  const { projectId: targetId, addLabelIds, removeLabelIds, ...fields } = changes;
  const moving = targetId !== undefined && targetId !== project.id;
  if (moving) {
    const target = await projectAccess(db, targetId, actorId);
    if (!target || target.ref.workspaceId !== project.workspaceId) {
      throw invalid('changes.projectId', 'is not a project of this workspace');
    }
  }
  await checkAssignee(db, project.workspaceId, fields.assigneeId).catch(under('changes.assigneeId'));
  for (const [path, labels] of [
    ['changes.addLabelIds', addLabelIds],
    ['changes.removeLabelIds', removeLabelIds],
  ] as const) {
    await checkLabels(db, project.workspaceId, labels).catch(under(path));
  }

  const locked = await lockBulk(db, moving ? [project.id, targetId] : [project.id], project.id, ids);
  if (locked.length !== ids.length) throw invalid('ids', 'contains a task that is not in this project');
  const byId = new Map(locked.map((task) => [task.id, task]));
  const home = moving ? targetId : project.id;

  // New positions: the tasks that enter a column (a new status, or any column of another project) go to its end.
  const ends = await columnEnds(db, home, ids);
  const entering = new Map<TaskStatus, string[]>();
  for (const id of ids) {
    const task = byId.get(id)!;
    const status = fields.status ?? task.status;
    if (moving || status !== task.status) entering.set(status, [...(entering.get(status) ?? []), id]);
  }
  const positions = new Map<string, string>();
  for (const [status, entered] of entering) {
    const keys = generateNKeysBetween(ends.get(status) ?? null, null, entered.length);
    entered.forEach((id, i) => positions.set(id, keys[i]!));
  }
  let number = moving ? await reserveTaskNumbers(db, targetId, ids.length) : 0;

  const write: TaskChanges = { ...fields };
  for (const id of ids) {
    const position = positions.get(id);
    await updateTaskRow(db, id, position ? { ...write, position } : write);
    if (moving) await moveTaskToProject(db, id, targetId, number++);
  }
  if (addLabelIds) await addLabelsToTasks(db, ids, addLabelIds);
  if (removeLabelIds) await removeLabelsFromTasks(db, ids, removeLabelIds);
  const released = moving ? await dropCrossProjectParents(db, ids) : [];

  const named = Object.keys(changes).filter((key) => changes[key as keyof typeof changes] !== undefined);
  for (const id of ids) {
    await recordActivity(db, {
      workspaceId: project.workspaceId,
      projectId: home,
      actorId,
      verb: 'task.updated',
      subjectType: 'task',
      subjectId: id,
      data: {
        bulk: true,
        changes: Object.fromEntries(named.map((key) => [key, { to: summary(changes, key) }])),
      },
    });
  }

  const touched = [...new Set([...ids, ...released])];
  const found = await findTasksByIds(db, touched);
  const outputs = found.map(({ task, labelIds }) => presentTask(task, labelIds));
  // Parents whose subtask progress may have changed: the former parents of the tasks changed.
  const parents = new Set(locked.flatMap((task) => (task.parentId ? [task.parentId] : [])));
  for (const id of ids) parents.delete(id);
  const pending: PendingEvent[] = outputs.map((task) => ({
    workspaceId: project.workspaceId,
    type: 'task.updated',
    data: { projectId: task.projectId, task, changes: ids.includes(task.id) ? named : ['parentId'] },
  }));
  // Repeating tasks completed here continue their series, as a single completion does.
  const completed = fields.status === 'done' ? ids.filter((id) => byId.get(id)!.status !== 'done') : [];
  transaction.afterCommit(() =>
    afterCommit(ctx, events, pending, [
      ...[...parents].map((id) => () => announceParent(ctx, events, project.workspaceId, id)),
      ...completed.map((id) => () => continueSeries(ctx, events, id)),
    ]),
  );
  return outputs.filter((task) => ids.includes(task.id));
}

/** What the activity records of a change: the value set, dates as ISO strings. */
function summary(changes: BulkEditInput['changes'], key: string): unknown {
  const value = changes[key as keyof typeof changes];
  return value instanceof Date ? value.toISOString() : (value ?? null);
}
