import { Attachment, type Task } from '@taskstack/db';
import { randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { AppContext } from '../context.js';
import { receiveFile } from '../routes/attachments/receive-file.js';
import type { AttachmentStorage } from '../storage/index.js';
import { recordActivity } from './activity.js';

/**
 * Streams an upload into storage, then records it. If the row cannot be written the stored file is removed, so
 * storage never holds a file nobody can reach.
 */
export async function uploadAttachment(
  ctx: AppContext,
  storage: AttachmentStorage,
  task: Task,
  actorId: string,
  req: Request,
): Promise<Attachment> {
  const storageKey = `${task.workspaceId}/${task.id}/${randomUUID()}`;
  const file = await receiveFile(req, ctx.config.MAX_UPLOAD_BYTES, (body, contentType) =>
    storage.put(storageKey, body, contentType),
  );
  try {
    return await ctx.sequelize.transaction(async (transaction) => {
      const attachment = await Attachment.create(
        { taskId: task.id, uploadedById: actorId, storageKey, ...file },
        { transaction },
      );
      await recordActivity(
        {
          workspaceId: task.workspaceId,
          projectId: task.projectId,
          actorId,
          verb: 'attachment.added',
          subjectType: 'attachment',
          subjectId: attachment.id,
          data: { taskId: task.id, filename: file.filename, size: file.size },
        },
        transaction,
      );
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
  task: Task,
  attachment: Attachment,
  actorId: string,
): Promise<void> {
  await ctx.sequelize.transaction(async (transaction) => {
    await attachment.destroy({ transaction });
    await recordActivity(
      {
        workspaceId: task.workspaceId,
        projectId: task.projectId,
        actorId,
        verb: 'attachment.deleted',
        subjectType: 'attachment',
        subjectId: attachment.id,
        data: { taskId: task.id, filename: attachment.filename },
      },
      transaction,
    );
  });
  await storage.remove(attachment.storageKey).catch((err: unknown) => {
    ctx.logger.warn({ err, attachmentId: attachment.id }, 'attachment file not removed');
  });
}
