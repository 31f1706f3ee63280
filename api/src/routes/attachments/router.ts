import { Attachment } from '@taskstack/db';
import { Router } from 'express';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { deleteAttachment, uploadAttachment } from '../../commands/attachments.js';
import type { AppContext } from '../../context.js';
import { payloadTooLarge } from '../../errors.js';
import { authenticate, currentUser } from '../../middlewares/authenticate.js';
import { validate } from '../../middlewares/validate.js';
import { jsonContent as json } from '../../openapi/json-content.js';
import { documentRoute } from '../../openapi/registry.js';
import { loadAttachmentFor, taskAccessFor } from '../../policies/board.js';
import { attachmentOutput, presentAttachment } from '../../presenters/attachment.js';
import type { AttachmentStorage } from '../../storage/index.js';
import { receiveFile } from './receive-file.js';
import { attachmentParams, taskParams, uploadBody } from './schema.js';

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** Task attachments: members upload and delete, viewers list and download (access re-checked on every download). */
export function attachmentsRouter(ctx: AppContext, storage: AttachmentStorage): Router {
  const router = Router();
  const auth = authenticate(ctx);
  const max = ctx.config.MAX_UPLOAD_BYTES;

  documentRoute({
    method: 'post',
    path: '/tasks/:id/attachments',
    summary: `Upload a file to a task (member+); 413 over MAX_UPLOAD_BYTES`,
    tags: ['attachments'],
    request: { params: taskParams, body: { content: { 'multipart/form-data': { schema: uploadBody } } } },
    responses: {
      201: { description: 'Stored', ...json(attachmentOutput) },
      413: { description: 'The file is larger than MAX_UPLOAD_BYTES; nothing was stored' },
    },
  });
  router.post(
    '/tasks/:id/attachments',
    auth,
    validate({ params: taskParams })(async (req, res, { params }) => {
      const user = currentUser(req);
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      // A declared length far over the limit is refused before a byte is read.
      if (Number(req.get('content-length')) > max + MULTIPART_OVERHEAD) {
        res.set('Connection', 'close');
        throw payloadTooLarge(`Files are limited to ${max} bytes.`);
      }
      const attachment = await receiveFile(req, max, (file) =>
        uploadAttachment(ctx, storage, task, user.id, file),
      );
      res.status(201).json(presentAttachment(attachment));
    }),
  );

  documentRoute({
    method: 'get',
    path: '/tasks/:id/attachments',
    summary: "List a task's attachments, oldest first (viewer+)",
    tags: ['attachments'],
    request: { params: taskParams },
    responses: { 200: { description: 'Attachments', ...json(z.array(attachmentOutput)) } },
  });
  router.get(
    '/tasks/:id/attachments',
    auth,
    validate({ params: taskParams })(async (req, res, { params }) => {
      const { task } = await taskAccessFor(ctx.sql, currentUser(req).id, params.id, 'viewer');
      const attachments = await Attachment.findAll({
        where: { taskId: task.id },
        order: [
          ['createdAt', 'ASC'],
          ['id', 'ASC'],
        ],
      });
      res.json(attachments.map(presentAttachment));
    }),
  );

  documentRoute({
    method: 'get',
    path: '/attachments/:id',
    summary: 'Download an attachment (viewer+)',
    description: 'Always served as a download (`Content-Disposition: attachment`, `nosniff`, sandboxed CSP).',
    tags: ['attachments'],
    request: { params: attachmentParams },
    responses: { 200: { description: 'The file', content: { 'application/octet-stream': { schema: {} } } } },
  });
  router.get(
    '/attachments/:id',
    auth,
    validate({ params: attachmentParams })(async (req, res, { params }) => {
      const { attachment } = await loadAttachmentFor(ctx.sql, currentUser(req).id, params.id, 'viewer');
      const body = await storage.get(attachment.storageKey);
      res.attachment(attachment.filename);
      res.set({
        'Content-Type': attachment.contentType,
        'Content-Length': String(attachment.size),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-store',
      });
      await pipeline(body, res).catch((err: unknown) => {
        req.log.warn({ err, attachmentId: attachment.id }, 'attachment download interrupted');
      });
    }),
  );

  documentRoute({
    method: 'delete',
    path: '/attachments/:id',
    summary: 'Delete an attachment (member+)',
    tags: ['attachments'],
    request: { params: attachmentParams },
    responses: { 204: { description: 'Deleted' } },
  });
  router.delete(
    '/attachments/:id',
    auth,
    validate({ params: attachmentParams })(async (req, res, { params }) => {
      const user = currentUser(req);
      const { attachment, task } = await loadAttachmentFor(ctx.sql, user.id, params.id, 'member');
      await deleteAttachment(ctx, storage, task, attachment, user.id);
      res.status(204).end();
    }),
  );

  return router;
}
