import {
  findUser,
  insertNotifications,
  membersAmong,
  notificationsByIds,
  unreadCount,
  type NewNotification,
  type NotificationKind,
  type Queryable,
} from '@taskstack/db/repositories';
import { inboxHeadline } from '@taskstack/queues';
import type { AppContext } from '../../context.js';
import type { EventPublisher } from '@taskstack/queues';
import { presentNotification } from '../../presenters/notification.js';

/** Who should hear of a change to one task, and why; the first reason given for a user wins. */
export type Recipient = { userId: string | null; kind: NotificationKind };

/**
 * Writes the inbox items of one change on `db` (the change's transaction, so they commit or roll back with it) and
 * returns what to run after the commit: the per-user live event and the immediate emails. Recipients are
 * deduplicated, never include the actor, and must be members of the task's workspace — a mention of a stranger's
 * id, or a former member still named as assignee, notifies nobody.
 */
export async function writeInboxItems(
  ctx: AppContext,
  events: EventPublisher,
  db: Queryable,
  change: { workspaceId: string; taskId: string; actorId: string; excerpt: string },
  recipients: Recipient[],
): Promise<() => Promise<void>> {
  const kinds = new Map<string, NotificationKind>();
  for (const { userId, kind } of recipients) {
    if (userId && userId !== change.actorId && !kinds.has(userId)) kinds.set(userId, kind);
  }
  const members = new Set(await membersAmong(db, change.workspaceId, [...kinds.keys()]));
  const items: NewNotification[] = [...kinds]
    .filter(([userId]) => members.has(userId))
    .map(([userId, kind]) => ({
      userId,
      kind,
      workspaceId: change.workspaceId,
      taskId: change.taskId,
      actorId: change.actorId,
      excerpt: change.excerpt,
    }));
  const written = await insertNotifications(db, items);
  return () => announceInboxItems(ctx, events, written);
}

/**
 * After the commit: tells each recipient's open streams (their new item and unread count), and emails those who
 * want every item at once. Assignments are emailed by the task-assigned email already, so not twice.
 */
async function announceInboxItems(
  ctx: AppContext,
  events: EventPublisher,
  written: { id: string; userId: string; preference: string }[],
): Promise<void> {
  if (written.length === 0) return;
  const byId = new Map(written.map((w) => [w.id, w]));
  for (const item of await notificationsByIds(ctx.sql, [...byId.keys()])) {
    const { userId, preference } = byId.get(item.id)!;
    const notification = presentNotification(item);
    await publishInboxUpdate(ctx, events, item.workspaceId, userId, notification);
    if (preference !== 'immediately' || item.kind === 'assigned' || !item.taskId) continue;
    const recipient = await findUser(ctx.sql, userId);
    if (!recipient) continue;
    await ctx.emails.send(
      'inbox-item',
      {
        to: recipient.email,
        name: recipient.name,
        headline: inboxHeadline(
          item.kind,
          item.actorName,
          `${item.projectName} #${item.taskNumber} ${item.taskTitle}`,
        ),
        excerpt: item.excerpt,
        taskUrl: new URL(`/tasks/${item.taskId}`, ctx.config.PUBLIC_URL).toString(),
      },
      `inbox-item-${item.id}`,
    );
  }
}

/**
 * `inbox.updated` on the workspace's stream, addressed to one user (the stream hands it to that user alone): their
 * unread count now, and the new item if there is one.
 */
export async function publishInboxUpdate(
  ctx: AppContext,
  events: EventPublisher,
  workspaceId: string,
  userId: string,
  notification?: ReturnType<typeof presentNotification>,
): Promise<void> {
  const unread = await unreadCount(ctx.sql, userId, workspaceId);
  await events.publish(workspaceId, 'inbox.updated', {
    userId,
    unread,
    ...(notification ? { notification } : {}),
  });
}
