import type { AttachmentRecord } from '@taskstack/db/repositories';
import { z } from 'zod';

export const attachmentOutput = z
  .object({
    id: z.uuid(),
    taskId: z.uuid(),
    filename: z.string(),
    size: z.number().int(),
    contentType: z.string(),
    uploadedBy: z.uuid().nullable(),
    createdAt: z.iso.datetime(),
  })
  .openapi('Attachment');

/** The public shape of an attachment (never its storage key). */
export function presentAttachment(attachment: AttachmentRecord): z.infer<typeof attachmentOutput> {
  return {
    id: attachment.id,
    taskId: attachment.taskId,
    filename: attachment.filename,
    size: attachment.size,
    contentType: attachment.contentType,
    uploadedBy: attachment.uploadedById ?? null,
    createdAt: attachment.createdAt.toISOString(),
  };
}
