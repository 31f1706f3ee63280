import { generateKeyBetween } from 'fractional-indexing';
import type { AppContext } from '../../context.js';
import type { EventPublisher } from '@taskstack/queues';
import {
  createTaskCommit,
  createTaskOpen,
  parentForUpdate,
  taskFromRow,
  type ProjectRef,
} from '@taskstack/db/repositories';
import { presentTask, type TaskOutput } from '../../presenters/task.js';
import type { CreateTaskInput } from './schema.js';
import { afterCommit } from '../side-effects.js';
import { announceParent } from '../subtasks/announce-parent.js';
import { MAX_SUBTASKS } from '../subtasks/schema.js';
import { conflict, notFound } from '../../errors.js';
import { inboxExcerpt, mentionedIds } from '../inbox/mentions.js';
import { writeInboxItems, type Recipient } from '../inbox/notify.js';
import { notifyAssignee } from './notify-assignee.js';
import { checkAssignee, checkLabels } from './references.js';

/**
 * Creates a task at the end of its column with the project's next number, then announces it. Two round trips
 * in the transaction: the counter update (the project's row lock) with the read of the column's last key, then
 * one statement writing the task, its labels and its activity event, with the commit. With `parentId` it is a
 * subtask: the parent's row is locked in the first round trip too, and must still be a task of its own.
 */
export async function createTask(
  ctx: AppContext,
  events: EventPublisher,
  project: ProjectRef,
  actorId: string,
  input: CreateTaskInput,
  parentId: string | null = null,
): Promise<TaskOutput> {
  const { labelIds = [], ...fields } = input;
  const status = fields.status ?? 'todo';
  // References are checked before the transaction: they take no lock, so inside it they would check nothing more.
  await checkAssignee(ctx.sql, project.workspaceId, fields.assigneeId);
  await checkLabels(ctx.sql, project.workspaceId, labelIds);
  const row = await ctx.sql.batched(async (tx) => {
    const [counter, last, parents] = await tx.open([
      ...createTaskOpen(project.id, status),
      ...(parentId ? [parentForUpdate(parentId)] : []),
    ]);
    const parent = parents?.[0];
    if (parentId && (!parent || parent.project_id !== project.id)) throw notFound('Task');
    if (parent?.parent_id) throw conflict('This task is a subtask; subtasks have no subtasks of their own.');
    if (parent && (parent.subtasks as number) >= MAX_SUBTASKS) {
      throw conflict(`A task holds at most ${MAX_SUBTASKS} subtasks.`);
    }
    const position = generateKeyBetween((last![0]?.position as string | undefined) ?? null, null);
    const [written] = await tx.commit(
      createTaskCommit({
        ...fields,
        status,
        workspaceId: project.workspaceId,
        projectId: project.id,
        number: counter![0]!.task_counter as number,
        position,
        labelIds,
        parentId,
        createdById: actorId,
      }),
    );
    return written![0]!;
  });
  const task = taskFromRow(row);
  const output = presentTask(task, [...labelIds].sort());
  // The batched commit holds one statement, so the inbox items of a new task follow right after it.
  const announceInbox = await writeInboxItems(
    ctx,
    events,
    ctx.sql,
    {
      workspaceId: project.workspaceId,
      taskId: task.id,
      actorId,
      excerpt: inboxExcerpt(task.description || task.title),
    },
    [
      { userId: task.assigneeId, kind: 'assigned' },
      ...mentionedIds(task.description).map((userId): Recipient => ({ userId, kind: 'mentioned' })),
    ],
  );
  await afterCommit(
    ctx,
    events,
    [
      {
        workspaceId: project.workspaceId,
        type: 'task.created',
        data: { projectId: project.id, task: output },
      },
    ],
    [
      () => notifyAssignee(ctx, task, project.name, actorId, row.activity_id as string),
      announceInbox,
      ...(parentId ? [() => announceParent(ctx, events, project.workspaceId, parentId)] : []),
    ],
  );
  return output;
}
