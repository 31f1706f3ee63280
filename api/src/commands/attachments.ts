import {
  deleteAttachmentRow,
  insertAttachment,
  recordActivity,
  type AttachmentRecord,
  type TaskRef,
} from '@taskstack/db/repositories';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import type { AttachmentStorage } from '../storage/index.js';

/** An upload as it arrives: its bytes, its cleaned name and type, and the bytes counted so far. */
export type IncomingFile = { body: Readable; filename: string; contentType: string; size: () => number };

/**
 * Streams an upload into storage, then records it (row and activity in one statement: no transaction is held
 * while the bytes arrive). If the row cannot be written the stored file is removed, so storage never holds a file
 * nobody can reach.
 */
export async function uploadAttachment(
  ctx: AppContext,
  storage: AttachmentStorage,
  task: TaskRef,
  actorId: string,
  upload: IncomingFile,
): Promise<AttachmentRecord> {
  const storageKey = `${task.workspaceId}/${task.id}/${randomUUID()}`;
  await storage.put(storageKey, upload.body, upload.contentType);
  try {
    return await insertAttachment(ctx.sql, {
      task,
      uploadedById: actorId,
      filename: upload.filename,
      contentType: upload.contentType,
      size: upload.size(),
      storageKey,
    });
  } catch (error) {
    await storage.remove(storageKey).catch(() => {});
    throw error;
  }
}

/** Deletes an attachment's row inside the route's transaction (recorded in the activity), then, once committed, its file. */
export async function deleteAttachment(
  ctx: AppContext,
  storage: AttachmentStorage,
  task: TaskRef,
  attachment: AttachmentRecord,
  actorId: string,
  transaction: Transaction,
): Promise<void> {
  const db = ctx.sql.in(transaction);
  if (!(await deleteAttachmentRow(db, attachment.id))) throw notFound('Attachment');
  await recordActivity(db, {
    workspaceId: task.workspaceId,
    projectId: task.projectId,
    actorId,
    verb: 'attachment.deleted',
    subjectType: 'attachment',
    subjectId: attachment.id,
    data: { taskId: task.id, filename: attachment.filename },
  });
  transaction.afterCommit(() =>
    storage.remove(attachment.storageKey).catch((err: unknown) => {
      ctx.logger.warn({ err, attachmentId: attachment.id }, 'attachment file not removed');
    }),
  );
}
