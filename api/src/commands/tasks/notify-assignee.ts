import { User } from '@taskstack/db';
import { emailPreference } from '@taskstack/db/repositories';
import type { AppContext } from '../../context.js';

/**
 * Enqueues the task-assigned email (never sent in the request) to an assignee whose email preference is
 * "immediately" (a digest reader gets the assignment in the digest). Keyed by the activity event that recorded the
 * assignment, so a retried enqueue sends one email while a later re-assignment sends another.
 */
export async function notifyAssignee(
  ctx: AppContext,
  task: { id: string; title: string; number: number; assigneeId: string | null },
  projectName: string,
  actorId: string,
  activityId: string,
): Promise<void> {
  if (!task.assigneeId || task.assigneeId === actorId) return;
  const users = await User.findAll({ where: { id: [task.assigneeId, actorId] } });
  const assignee = users.find((u) => u.id === task.assigneeId);
  const actor = users.find((u) => u.id === actorId);
  // The assignment is in their inbox either way; its email follows the assignee's preference.
  if (!assignee || (await emailPreference(ctx.sql, assignee.id)) !== 'immediately') return;
  await ctx.emails.send(
    'task-assigned',
    {
      to: assignee.email,
      name: assignee.name,
      assignerName: actor?.name ?? 'Someone',
      taskTitle: task.title,
      taskRef: `${projectName} #${task.number}`,
      taskUrl: new URL(`/tasks/${task.id}`, ctx.config.PUBLIC_URL).toString(),
    },
    `task-assigned-${activityId}`,
  );
}
