import { findComments } from '@taskstack/db/repositories';
import { addComment, changeComment } from '../../commands/comments.js';
import type { AppContext } from '../../context.js';
import { forbidden } from '../../errors.js';
import type { EventPublisher } from '@taskstack/queues';
import { createdAtCursor, pageOf, toPage } from '../../pagination.js';
import { commentAccessFor, taskAccessFor } from '../../policies/board.js';
import { roleAtLeast } from '../../policies/membership.js';
import { commentOutput, presentComment } from '../../presenters/comment.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import { commentBody, commentParams, listCommentsQuery, taskParams } from './schema.js';

/** Comments on tasks: viewers read, members comment; authors edit theirs, authors or admins delete. */
export function commentsRoutes(ctx: AppContext, events: EventPublisher): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['comments'];

  route(
    {
      method: 'get',
      path: '/tasks/:id/comments',
      summary: 'List the comments of a task, oldest first (viewer+)',
      tags,
      request: { params: taskParams, query: listCommentsQuery },
      responses: { 200: { description: 'A page of comments', schema: pageOf(commentOutput) } },
    },
    async ({ user, params, query }) => {
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'viewer');
      const rows = await findComments(ctx.sql, task.id, createdAtCursor(query.cursor), query.limit);
      return toPage(
        rows,
        query.limit,
        (row) => row.cursorKey,
        (row) => presentComment(row.comment),
      );
    },
  );

  route(
    {
      method: 'post',
      path: '/tasks/:id/comments',
      summary: 'Comment on a task (member+)',
      tags,
      request: { params: taskParams, body: commentBody },
      responses: { 201: { description: 'Created', schema: commentOutput } },
      transaction: true,
    },
    async ({ user, params, body, transaction }) => {
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      return addComment(ctx, events, task, user.id, body.body, transaction!);
    },
  );

  route(
    {
      method: 'patch',
      path: '/comments/:id',
      summary: 'Edit a comment (its author, member+)',
      tags,
      request: { params: commentParams, body: commentBody },
      responses: { 200: { description: 'The edited comment', schema: commentOutput } },
      transaction: true,
    },
    async ({ user, params, body, transaction }) => {
      const { comment, task } = await commentAccessFor(ctx.sql, user.id, params.id, 'member');
      if (comment.authorId !== user.id) throw forbidden('Only its author can edit a comment.');
      return changeComment(ctx, events, task, comment, user.id, body.body, transaction!);
    },
  );

  route(
    {
      method: 'delete',
      path: '/comments/:id',
      summary: 'Delete a comment (its author, or an admin+)',
      tags,
      request: { params: commentParams },
      responses: { 204: { description: 'Deleted' } },
      transaction: true,
    },
    async ({ user, params, transaction }) => {
      const { comment, task, role } = await commentAccessFor(ctx.sql, user.id, params.id, 'member');
      if (comment.authorId !== user.id && !roleAtLeast(role, 'admin')) {
        throw forbidden('Only its author or an admin can delete a comment.');
      }
      await changeComment(ctx, events, task, comment, user.id, null, transaction!);
    },
  );

  return routes;
}
