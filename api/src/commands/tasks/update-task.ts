import {
  findTask,
  lockedColumnEnd,
  projectName,
  recordActivity,
  replaceTaskLabels,
  updateTaskRow,
  type TaskChanges,
  type TaskRecord,
  type TaskRef,
} from '@taskstack/db/repositories';
import { generateKeyBetween } from 'fractional-indexing';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import type { EventPublisher } from '@taskstack/queues';
import { presentTask, type TaskOutput } from '../../presenters/task.js';
import { afterCommit } from '../side-effects.js';
import { announceParent } from '../subtasks/announce-parent.js';
import { continueSeries } from '../recurrences/continue-series.js';
import { inboxExcerpt, mentionedIds } from '../inbox/mentions.js';
import { writeInboxItems, type Recipient } from '../inbox/notify.js';
import { notifyAssignee } from './notify-assignee.js';
import { checkAssignee, checkLabels } from './references.js';
import type { UpdateTaskInput } from './schema.js';

type Change = { from: unknown; to: unknown };

const comparable = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null));

/**
 * Applies a partial update inside the route's transaction and records exactly what changed. A new status puts
 * the task at the end of that column; a new assignee (other than the actor) is emailed after the commit.
 */
export async function updateTask(
  ctx: AppContext,
  events: EventPublisher,
  ref: TaskRef,
  actorId: string,
  input: UpdateTaskInput,
  transaction: Transaction,
): Promise<TaskOutput> {
  const db = ctx.sql.in(transaction);
  const { labelIds, ...fields } = input;
  // Same lock order as moves (project, then task) so concurrent edits and moves cannot deadlock; a task never
  // changes project, so the project found for authorization is the one to lock.
  const end = fields.status ? await lockedColumnEnd(db, ref.projectId, fields.status, ref.id) : null;
  const found = await findTask(db, ref.id, { lock: true });
  if (!found) throw notFound('Task');
  const { task, labelIds: current } = found;
  await checkAssignee(db, ref.workspaceId, fields.assigneeId);
  await checkLabels(db, ref.workspaceId, labelIds);

  const changes: Record<string, Change> = {};
  for (const [key, value] of Object.entries(fields) as [keyof typeof fields, unknown][]) {
    const from = comparable(task[key]);
    if (from !== comparable(value)) changes[key] = { from, to: comparable(value) };
  }
  let labels = current;
  if (labelIds) {
    const next = [...labelIds].sort();
    if (next.join() !== current.join()) {
      await replaceTaskLabels(db, task.id, current, next);
      changes.labelIds = { from: current, to: next };
      labels = next;
    }
  }
  if (Object.keys(changes).length === 0) return presentTask(task, labels);
  const write: TaskChanges = { ...fields };
  if (changes.status) write.position = generateKeyBetween(end, null);
  const updated = await updateTaskRow(db, task.id, write);
  const activity = await recordActivity(db, {
    workspaceId: ref.workspaceId,
    projectId: ref.projectId,
    actorId,
    verb: 'task.updated',
    subjectType: 'task',
    subjectId: task.id,
    data: { changes },
  });
  // A new assignee hears of it; an edited description notifies only whom it newly mentions.
  const before = new Set(mentionedIds(task.description));
  const announceInbox = await writeInboxItems(
    ctx,
    events,
    db,
    {
      workspaceId: ref.workspaceId,
      taskId: task.id,
      actorId,
      excerpt: inboxExcerpt(changes.description ? updated.description : updated.title),
    },
    [
      ...(changes.assigneeId ? [{ userId: updated.assigneeId, kind: 'assigned' } as const] : []),
      ...(changes.description
        ? mentionedIds(updated.description)
            .filter((id) => !before.has(id))
            .map((userId): Recipient => ({ userId, kind: 'mentioned' }))
        : []),
    ],
  );
  const output = presentTask(updated, labels);
  const { parentId } = updated;
  transaction.afterCommit(() =>
    afterCommit(
      ctx,
      events,
      [
        {
          workspaceId: ref.workspaceId,
          type: 'task.updated',
          data: { projectId: ref.projectId, task: output, changes: Object.keys(changes) },
        },
      ],
      [
        ...(changes.assigneeId ? [() => notify(ctx, ref, updated, actorId, activity.id)] : []),
        announceInbox,
        ...(changes.status && parentId ? [() => announceParent(ctx, events, ref.workspaceId, parentId)] : []),
        ...(changes.status && updated.status === 'done' ? [() => continueSeries(ctx, events, task.id)] : []),
      ],
    ),
  );
  return output;
}

/** The assignment email names the project, read only when someone is to be emailed. */
async function notify(ctx: AppContext, ref: TaskRef, task: TaskRecord, actorId: string, activityId: string) {
  const name = (await projectName(ctx.sql, ref.projectId)) ?? 'Project';
  await notifyAssignee(ctx, task, name, actorId, activityId);
}
