import type { CommentRecord } from '@taskstack/db/repositories';
import { z } from 'zod';

export const commentOutput = z
  .object({
    id: z.uuid(),
    taskId: z.uuid(),
    authorId: z.uuid().nullable(),
    body: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Comment');

/** The public shape of a comment. */
export function presentComment(comment: CommentRecord): z.infer<typeof commentOutput> {
  return {
    id: comment.id,
    taskId: comment.taskId,
    authorId: comment.authorId ?? null,
    body: comment.body,
    createdAt: comment.createdAt.toISOString(),
    updatedAt: comment.updatedAt.toISOString(),
  };
}
