import { findTransfer, findTransfers } from '@taskstack/db/repositories';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { importQuery, transferParams, uploadBody, workspaceParams } from '../../commands/transfers/schema.js';
import { csvMapping, startExport, startImport } from '../../commands/transfers/start-transfer.js';
import type { AppContext } from '../../context.js';
import { notFound, payloadTooLarge } from '../../errors.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import { presentTransfer, transferOutput } from '../../presenters/transfer.js';
import type { AttachmentStorage } from '../../storage/index.js';
import { receiveFile } from '../attachments/receive-file.js';
import { defineRoutes, type RouteGroup } from '../define.js';

/** Room for the multipart boundaries and part headers around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * Import and export of a workspace (admin+). The API stores the upload and queues the job; the worker does the work
 * and writes its progress and report on the job's row, which the web app polls here.
 */
export function transfersRoutes(ctx: AppContext, storage: AttachmentStorage): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['import and export'];
  const base = '/workspaces/:id';
  const max = ctx.config.IMPORT_MAX_BYTES;

  route(
    {
      method: 'get',
      path: `${base}/transfers`,
      summary: "The workspace's latest imports and exports, newest first (admin+)",
      tags,
      request: { params: workspaceParams },
      responses: { 200: { description: 'Jobs', schema: z.array(transferOutput) } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      return (await findTransfers(ctx.sql, params.id)).map((t) => presentTransfer(t));
    },
  );

  route(
    {
      method: 'get',
      path: `${base}/transfers/:transferId`,
      summary: 'One import or export: status, progress, report (admin+)',
      tags,
      request: { params: transferParams },
      responses: { 200: { description: 'The job', schema: transferOutput } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      const transfer = await findTransfer(ctx.sql, params.id, params.transferId);
      if (!transfer) throw notFound('Import or export');
      return presentTransfer(transfer);
    },
  );

  route(
    {
      method: 'post',
      path: `${base}/exports`,
      summary: 'Export the workspace as a zip of JSON, CSV and attachments (admin+)',
      description:
        'Queues the export; poll the job for progress, then download it (kept EXPORT_RETENTION_HOURS, 24 by ' +
        'default). 409 while another export of the workspace is queued or running.',
      tags,
      request: { params: workspaceParams },
      responses: { 202: { description: 'Queued', schema: transferOutput } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      return presentTransfer(await startExport(ctx, params.id, user.id));
    },
  );

  route(
    {
      method: 'post',
      path: `${base}/imports`,
      summary:
        'Import a file into the workspace: a taskstack export, Trello, CSV, Vikunja or Planka (admin+)',
      description:
        `The file goes in the multipart field \`file\` (at most IMPORT_MAX_BYTES, ${max} here; 413 over it). ` +
        'The import runs as a job in one transaction: it succeeds with a report of what was skipped, or fails ' +
        'with a reason and changes nothing. 409 while another import of the workspace is queued or running.',
      tags,
      request: {
        params: workspaceParams,
        query: importQuery,
        bodyContent: { 'multipart/form-data': { schema: uploadBody } },
      },
      responses: {
        202: { description: 'Queued', schema: transferOutput },
        413: { description: 'The file is larger than IMPORT_MAX_BYTES; nothing was stored' },
      },
    },
    async ({ user, params, query, req, res }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      csvMapping(query); // a CSV import without its title column is refused before the upload is read
      if (Number(req.get('content-length')) > max + MULTIPART_OVERHEAD) {
        res.set('Connection', 'close');
        throw payloadTooLarge(`Imports are limited to ${max} bytes.`);
      }
      const transfer = await receiveFile(req, max, (file) =>
        startImport(ctx, storage, params.id, user.id, query, file),
      );
      return presentTransfer(transfer);
    },
  );

  route(
    {
      method: 'get',
      path: `${base}/transfers/:transferId/download`,
      summary: "Download an export's zip (admin+); 404 until it is ready and once it has expired",
      tags,
      request: { params: transferParams },
      responses: { 200: { description: 'The zip', content: { 'application/zip': { schema: {} } } } },
    },
    async ({ user, params, req, res }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      const transfer = await findTransfer(ctx.sql, params.id, params.transferId);
      if (!transfer || !presentTransfer(transfer).downloadable) throw notFound('Export file');
      const body = await storage.get(transfer.fileKey!);
      res.attachment(transfer.fileName ?? 'export.zip');
      res.set({
        'Content-Type': 'application/zip',
        ...(transfer.fileSize ? { 'Content-Length': String(transfer.fileSize) } : {}),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private, no-store',
      });
      await pipeline(body, res).catch((err: unknown) => {
        req.log.warn({ err, transferId: transfer.id }, 'export download interrupted');
      });
    },
  );

  return routes;
}
