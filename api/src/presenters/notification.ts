import type { NotificationRecord } from '@taskstack/db/repositories';
import { z } from 'zod';
import '../openapi/registry.js';

export const notificationOutput = z
  .object({
    id: z.uuid(),
    workspaceId: z.uuid(),
    kind: z.enum(['assigned', 'mentioned', 'commented', 'due_soon']),
    /** The comment or description text (mentions shown as `@Name`), at most 140 characters. */
    excerpt: z.string(),
    task: z
      .object({ id: z.uuid(), projectId: z.uuid(), number: z.number().int(), title: z.string() })
      .nullable(),
    actor: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    read: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .openapi('Notification');

export type NotificationOutput = z.infer<typeof notificationOutput>;

/** An inbox item as its recipient sees it. */
export function presentNotification(n: NotificationRecord): NotificationOutput {
  return {
    id: n.id,
    workspaceId: n.workspaceId,
    kind: n.kind,
    excerpt: n.excerpt,
    task:
      n.taskId && n.projectId
        ? { id: n.taskId, projectId: n.projectId, number: n.taskNumber!, title: n.taskTitle! }
        : null,
    actor: n.actorId && n.actorName ? { id: n.actorId, name: n.actorName } : null,
    read: n.readAt !== null,
    createdAt: n.createdAt.toISOString(),
  };
}
