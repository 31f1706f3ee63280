import {
  deleteCommentRow,
  insertComment,
  recordActivity,
  updateCommentBody,
  type CommentRecord,
  type TaskRef,
} from '@taskstack/db/repositories';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import type { EventPublisher } from '../events/publisher.js';
import { presentComment } from '../presenters/comment.js';
import { afterCommit } from './side-effects.js';

/** At most 140 characters, cut between code points: halving a surrogate pair leaves text Postgres refuses. */
const excerpt = (body: string) => {
  const points = Array.from(body);
  return points.length > 140 ? `${points.slice(0, 139).join('')}…` : body;
};

/**
 * Adds a comment inside the route's transaction and records it in the project's activity; once committed,
 * announces it to the workspace.
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
    afterCommit(ctx, events, [
      {
        workspaceId: task.workspaceId,
        type: 'comment.created',
        data: { projectId: task.projectId, taskId: task.id, comment: output },
      },
    ]),
  );
  return output;
}

/**
 * Edits or deletes a comment (`body` null) inside the route's transaction, recording and announcing the change
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
      ? (await deleteCommentRow(db, comment.id)) && comment
      : await updateCommentBody(db, comment.id, body);
  if (!changed) throw notFound('Comment');
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
    afterCommit(ctx, events, [
      {
        workspaceId: task.workspaceId,
        type: verb,
        data:
          body === null
            ? { projectId: task.projectId, taskId: task.id, id: comment.id }
            : { projectId: task.projectId, taskId: task.id, comment: output },
      },
    ]),
  );
  return output;
}
