import { Comment } from '@taskstack/db';
import { recordActivity, type TaskRef } from '@taskstack/db/repositories';
import type { AppContext } from '../context.js';
import type { EventPublisher } from '../events/publisher.js';
import { presentComment } from '../presenters/comment.js';
import { afterCommit } from './side-effects.js';

/** At most 140 characters, cut between code points: halving a surrogate pair leaves text Postgres refuses. */
const excerpt = (body: string) => {
  const points = Array.from(body);
  return points.length > 140 ? `${points.slice(0, 139).join('')}…` : body;
};

/** Adds a comment, records it in the project's activity and announces it to the workspace. */
export async function addComment(
  ctx: AppContext,
  events: EventPublisher,
  task: TaskRef,
  authorId: string,
  body: string,
) {
  const comment = await ctx.sequelize.transaction(async (transaction) => {
    const comment = await Comment.create({ taskId: task.id, authorId, body }, { transaction });
    await recordActivity(ctx.sql.in(transaction), {
      workspaceId: task.workspaceId,
      projectId: task.projectId,
      actorId: authorId,
      verb: 'comment.created',
      subjectType: 'comment',
      subjectId: comment.id,
      data: { taskId: task.id, taskNumber: task.number, excerpt: excerpt(body) },
    });
    return comment;
  });
  const output = presentComment(comment);
  await afterCommit(ctx, events, [
    {
      workspaceId: task.workspaceId,
      type: 'comment.created',
      data: { projectId: task.projectId, taskId: task.id, comment: output },
    },
  ]);
  return output;
}

/** Edits or deletes a comment (`body` null), recording and announcing the change like a new one. */
export async function changeComment(
  ctx: AppContext,
  events: EventPublisher,
  task: TaskRef,
  comment: Comment,
  actorId: string,
  body: string | null,
) {
  const verb = body === null ? 'comment.deleted' : 'comment.updated';
  await ctx.sequelize.transaction(async (transaction) => {
    if (body === null) await comment.destroy({ transaction });
    else await comment.update({ body }, { transaction });
    await recordActivity(ctx.sql.in(transaction), {
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
  });
  const output = presentComment(comment);
  await afterCommit(ctx, events, [
    {
      workspaceId: task.workspaceId,
      type: verb,
      data:
        body === null
          ? { projectId: task.projectId, taskId: task.id, id: comment.id }
          : { projectId: task.projectId, taskId: task.id, comment: output },
    },
  ]);
  return output;
}
