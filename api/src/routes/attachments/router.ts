import { findAttachments } from '@taskstack/db/repositories';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { deleteAttachment, uploadAttachment } from '../../commands/attachments.js';
import type { AppContext } from '../../context.js';
import { payloadTooLarge } from '../../errors.js';
import { attachmentAccessFor, taskAccessFor } from '../../policies/board.js';
import { attachmentOutput, presentAttachment } from '../../presenters/attachment.js';
import type { AttachmentStorage } from '../../storage/index.js';
import { defineRoutes, type RouteGroup } from '../define.js';
import { receiveFile } from './receive-file.js';
import { attachmentParams, taskParams, uploadBody } from './schema.js';

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

/** Task attachments: members upload and delete, viewers list and download (access re-checked on every download). */
export function attachmentsRoutes(ctx: AppContext, storage: AttachmentStorage): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const max = ctx.config.MAX_UPLOAD_BYTES;
  const tags = ['attachments'];

  route(
    {
      method: 'post',
      path: '/tasks/:id/attachments',
      summary: `Upload a file to a task (member+); 413 over MAX_UPLOAD_BYTES`,
      tags,
      request: { params: taskParams, bodyContent: { 'multipart/form-data': { schema: uploadBody } } },
      responses: {
        201: { description: 'Stored', schema: attachmentOutput },
        413: { description: 'The file is larger than MAX_UPLOAD_BYTES; nothing was stored' },
      },
    },
    async ({ user, params, req, res }) => {
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      // A declared length far over the limit is refused before a byte is read.
      if (Number(req.get('content-length')) > max + MULTIPART_OVERHEAD) {
        res.set('Connection', 'close');
        throw payloadTooLarge(`Files are limited to ${max} bytes.`);
      }
      // The route reads the multipart body; the command gets the file as a stream with its metadata.
      const attachment = await receiveFile(req, max, (file) =>
        uploadAttachment(ctx, storage, task, user.id, file),
      );
      return presentAttachment(attachment);
    },
  );

  route(
    {
      method: 'get',
      path: '/tasks/:id/attachments',
      summary: "List a task's attachments, oldest first (viewer+)",
      tags,
      request: { params: taskParams },
      responses: { 200: { description: 'Attachments', schema: z.array(attachmentOutput) } },
    },
    async ({ user, params }) => {
      const { task } = await taskAccessFor(ctx.sql, user.id, params.id, 'viewer');
      return (await findAttachments(ctx.sql, task.id)).map(presentAttachment);
    },
  );

  route(
    {
      method: 'get',
      path: '/attachments/:id',
      summary: 'Download an attachment (viewer+)',
      description:
        'Always served as a download (`Content-Disposition: attachment`, `nosniff`, sandboxed CSP).',
      tags,
      request: { params: attachmentParams },
      responses: {
        200: { description: 'The file', content: { 'application/octet-stream': { schema: {} } } },
      },
    },
    async ({ user, params, req, res }) => {
      const { attachment } = await attachmentAccessFor(ctx.sql, user.id, params.id, 'viewer');
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
    },
  );

  route(
    {
      method: 'delete',
      path: '/attachments/:id',
      summary: 'Delete an attachment (member+)',
      tags,
      request: { params: attachmentParams },
      responses: { 204: { description: 'Deleted' } },
      transaction: true,
    },
    async ({ user, params, transaction }) => {
      const { attachment, task } = await attachmentAccessFor(ctx.sql, user.id, params.id, 'member');
      await deleteAttachment(ctx, storage, task, attachment, user.id, transaction!);
    },
  );

  return routes;
}
