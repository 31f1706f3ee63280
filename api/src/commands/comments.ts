import {
  insertComment,
  recordActivity,
  taskPeople,
  trashCommentRow,
  updateCommentBody,
  type CommentRecord,
  type TaskRef,
} from '@taskstack/db/repositories';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import type { EventPublisher } from '@taskstack/queues';
import { presentComment } from '../presenters/comment.js';
import { inboxExcerpt, mentionedIds } from './inbox/mentions.js';
import { writeInboxItems, type Recipient } from './inbox/notify.js';
import { afterCommit } from './side-effects.js';

/** At most 140 characters, cut between code points: halving a surrogate pair leaves text Postgres refuses. */
const excerpt = (body: string) => {
  const points = Array.from(body);
  return points.length > 140 ? `${points.slice(0, 139).join('')}…` : body;
};

/**
 * Adds a comment inside the route's transaction, records it in the project's activity and writes the inbox items
 * of whom it mentions and of the task's assignee and creator; once committed, announces it to the workspace.
 */
export async function addComment(
  ctx: AppContext,
  events: EventPublisher,
  task: TaskRef,
  authorId: string,
  body: string,
  transaction: Transaction,
) {
  const db = ctx.sql.in(transaction);
  const comment = await insertComment(db, { taskId: task.id, authorId, body });
  const people = await taskPeople(db, task.id);
  const announceInbox = await writeInboxItems(
    ctx,
    events,
    db,
    { workspaceId: task.workspaceId, taskId: task.id, actorId: authorId, excerpt: inboxExcerpt(body) },
    [
      ...mentionedIds(body).map((userId): Recipient => ({ userId, kind: 'mentioned' })),
      { userId: people?.assigneeId ?? null, kind: 'commented' },
      { userId: people?.createdById ?? null, kind: 'commented' },
    ],
  );
  await recordActivity(db, {
    workspaceId: task.workspaceId,
    projectId: task.projectId,
    actorId: authorId,
    verb: 'comment.created',
    subjectType: 'comment',
    subjectId: comment.id,
    data: { taskId: task.id, taskNumber: task.number, excerpt: excerpt(body) },
  });
  const output = presentComment(comment);
  transaction.afterCommit(() =>
    afterCommit(
      ctx,
      events,
      [
        {
          workspaceId: task.workspaceId,
          type: 'comment.created',
          data: { projectId: task.projectId, taskId: task.id, comment: output },
        },
      ],
      [announceInbox],
    ),
  );
  return output;
}

/**
 * Edits or trashes a comment (`body` null) inside the route's transaction, recording and announcing the change
 * like a new one.
 */
export async function changeComment(
  ctx: AppContext,
  events: EventPublisher,
  task: TaskRef,
  comment: CommentRecord,
  actorId: string,
  body: string | null,
  transaction: Transaction,
) {
  const db = ctx.sql.in(transaction);
  const verb = body === null ? 'comment.deleted' : 'comment.updated';
  const changed =
    body === null
      ? (await trashCommentRow(db, comment.id, actorId)) && comment
      : await updateCommentBody(db, comment.id, body);
  if (!changed) throw notFound('Comment');
  // An edit notifies only whom it newly mentions: fixing a typo must not ping everyone again.
  const before = new Set(mentionedIds(comment.body));
  const announceInbox =
    body === null
      ? async () => {}
      : await writeInboxItems(
          ctx,
          events,
          db,
          { workspaceId: task.workspaceId, taskId: task.id, actorId, excerpt: inboxExcerpt(body) },
          mentionedIds(body)
            .filter((id) => !before.has(id))
            .map((userId) => ({ userId, kind: 'mentioned' })),
        );
  await recordActivity(db, {
    workspaceId: task.workspaceId,
    projectId: task.projectId,
    actorId,
    verb,
    subjectType: 'comment',
    subjectId: comment.id,
    data: {
      taskId: task.id,
      taskNumber: task.number,
      ...(body === null ? {} : { excerpt: excerpt(body) }),
    },
  });
  const output = presentComment(changed);
  transaction.afterCommit(() =>
    afterCommit(
      ctx,
      events,
      [
        {
          workspaceId: task.workspaceId,
          type: verb,
          data:
            body === null
              ? { projectId: task.projectId, taskId: task.id, id: comment.id }
              : { projectId: task.projectId, taskId: task.id, comment: output },
        },
      ],
      [announceInbox],
    ),
  );
  return output;
}
