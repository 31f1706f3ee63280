import { Attachment } from '@taskstack/db';
import { recordActivity, type TaskRef } from '@taskstack/db/repositories';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AppContext } from '../context.js';
import type { AttachmentStorage } from '../storage/index.js';

/** An upload as it arrives: its bytes, its cleaned name and type, and the bytes counted so far. */
export type IncomingFile = { body: Readable; filename: string; contentType: string; size: () => number };

/**
 * Streams an upload into storage, then records it. If the row cannot be written the stored file is removed, so
 * storage never holds a file nobody can reach.
 */
export async function uploadAttachment(
  ctx: AppContext,
  storage: AttachmentStorage,
  task: TaskRef,
  actorId: string,
  upload: IncomingFile,
): Promise<Attachment> {
  const storageKey = `${task.workspaceId}/${task.id}/${randomUUID()}`;
  await storage.put(storageKey, upload.body, upload.contentType);
  const file = { filename: upload.filename, contentType: upload.contentType, size: upload.size() };
  try {
    return await ctx.sequelize.transaction(async (transaction) => {
      const attachment = await Attachment.create(
        { taskId: task.id, uploadedById: actorId, storageKey, ...file },
        { transaction },
      );
      await recordActivity(ctx.sql.in(transaction), {
        workspaceId: task.workspaceId,
        projectId: task.projectId,
        actorId,
        verb: 'attachment.added',
        subjectType: 'attachment',
        subjectId: attachment.id,
        data: { taskId: task.id, filename: file.filename, size: file.size },
      });
      return attachment;
    });
  } catch (error) {
    await storage.remove(storageKey).catch(() => {});
    throw error;
  }
}

/** Deletes an attachment's row (recorded in the activity), then its file. */
export async function deleteAttachment(
  ctx: AppContext,
  storage: AttachmentStorage,
  task: TaskRef,
  attachment: Attachment,
  actorId: string,
): Promise<void> {
  await ctx.sequelize.transaction(async (transaction) => {
    await attachment.destroy({ transaction });
    await recordActivity(ctx.sql.in(transaction), {
      workspaceId: task.workspaceId,
      projectId: task.projectId,
      actorId,
      verb: 'attachment.deleted',
      subjectType: 'attachment',
      subjectId: attachment.id,
      data: { taskId: task.id, filename: attachment.filename },
    });
  });
  await storage.remove(attachment.storageKey).catch((err: unknown) => {
    ctx.logger.warn({ err, attachmentId: attachment.id }, 'attachment file not removed');
  });
}
