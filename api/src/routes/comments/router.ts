import { Comment } from '@taskstack/db';
import { Router } from 'express';
import { Op } from 'sequelize';
import { addComment, changeComment } from '../../commands/comments.js';
import type { AppContext } from '../../context.js';
import { forbidden } from '../../errors.js';
import type { EventPublisher } from '../../events/publisher.js';
import { authenticate, currentUser } from '../../middlewares/authenticate.js';
import { validate } from '../../middlewares/validate.js';
import { jsonContent as json } from '../../openapi/json-content.js';
import { documentRoute } from '../../openapi/registry.js';
import { createdAtKey, createdAtKeyset, pageOf, toPage } from '../../pagination.js';
import { loadCommentFor, taskAccessFor } from '../../policies/board.js';
import { roleAtLeast } from '../../policies/membership.js';
import { commentOutput, presentComment } from '../../presenters/comment.js';
import { commentBody, commentParams, listCommentsQuery, taskParams } from './schema.js';

/** Comments on tasks: viewers read, members comment; authors edit theirs, authors or admins delete. */
export function commentsRouter(ctx: AppContext, events: EventPublisher): Router {
  const router = Router();
  const auth = authenticate(ctx);

  documentRoute({
    method: 'get',
    path: '/tasks/:id/comments',
    summary: 'List the comments of a task, oldest first (viewer+)',
    tags: ['comments'],
    request: { params: taskParams, query: listCommentsQuery },
    responses: { 200: { description: 'A page of comments', ...json(pageOf(commentOutput)) } },
  });
  router.get(
    '/tasks/:id/comments',
    auth,
    validate({ params: taskParams, query: listCommentsQuery })(async (req, res, { params, query }) => {
      const { task } = await taskAccessFor(ctx.sql, currentUser(req).id, params.id, 'viewer');
      const keyset = createdAtKeyset(query.cursor, 'ASC');
      const rows = await Comment.findAll({
        where: { [Op.and]: [{ taskId: task.id }, ...(keyset.where ? [keyset.where] : [])] },
        replacements: keyset.replacements,
        attributes: keyset.attributes,
        order: keyset.order,
        limit: query.limit + 1,
      });
      res.json(toPage(rows, query.limit, createdAtKey, presentComment));
    }),
  );

  documentRoute({
    method: 'post',
    path: '/tasks/:id/comments',
    summary: 'Comment on a task (member+)',
    tags: ['comments'],
    request: { params: taskParams, body: json(commentBody) },
    responses: { 201: { description: 'Created', ...json(commentOutput) } },
  });
  router.post(
    '/tasks/:id/comments',
    auth,
    validate({ params: taskParams, body: commentBody })(async (req, res, { params, body }) => {
      const user = currentUser(req);
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      res.status(201).json(await addComment(ctx, events, task, user.id, body.body));
    }),
  );

  documentRoute({
    method: 'patch',
    path: '/comments/:id',
    summary: 'Edit a comment (its author, member+)',
    tags: ['comments'],
    request: { params: commentParams, body: json(commentBody) },
    responses: { 200: { description: 'The edited comment', ...json(commentOutput) } },
  });
  router.patch(
    '/comments/:id',
    auth,
    validate({ params: commentParams, body: commentBody })(async (req, res, { params, body }) => {
      const user = currentUser(req);
      const { comment, task } = await loadCommentFor(ctx.sql, user.id, params.id, 'member');
      if (comment.authorId !== user.id) throw forbidden('Only its author can edit a comment.');
      res.json(await changeComment(ctx, events, task, comment, user.id, body.body));
    }),
  );

  documentRoute({
    method: 'delete',
    path: '/comments/:id',
    summary: 'Delete a comment (its author, or an admin+)',
    tags: ['comments'],
    request: { params: commentParams },
    responses: { 204: { description: 'Deleted' } },
  });
  router.delete(
    '/comments/:id',
    auth,
    validate({ params: commentParams })(async (req, res, { params }) => {
      const user = currentUser(req);
      const { comment, task, role } = await loadCommentFor(ctx.sql, user.id, params.id, 'member');
      if (comment.authorId !== user.id && !roleAtLeast(role, 'admin')) {
        throw forbidden('Only its author or an admin can delete a comment.');
      }
      await changeComment(ctx, events, task, comment, user.id, null);
      res.status(204).end();
    }),
  );

  return router;
}
