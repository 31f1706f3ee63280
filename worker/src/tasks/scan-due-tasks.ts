import { insertNotifications, type EmailPreference } from '@taskstack/db/repositories';
import type { Job } from 'bullmq';
import type { TaskContext } from './context.js';

type DueTask = {
  id: string;
  workspace_id: string;
  number: number;
  title: string;
  due_at: Date;
  /** The due date as Postgres prints it: microseconds a JS Date would lose. */
  due_exact: string;
  project_name: string;
  assignee_id: string;
  email: string;
  name: string;
  email_notifications: EmailPreference;
};

/** Where the web app shows a task (the same link the API puts in task-assigned emails). */
const taskUrl = (publicUrl: string, id: string) => new URL(`/tasks/${id}`, publicUrl).toString();

/** `2026-11-25 14:00 UTC`: the worker has no idea of the reader's zone, so it says which one it uses. */
const formatDue = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The `scan-due-tasks` job: puts a "due soon" item in the inbox of each assignee (still a member) of an open task
 * due within 24 h, and emails those whose preference is "immediately" (digest readers get it in the digest), once
 * per task per due date. The inbox item's dedupe key and the email's job id are both derived from task and due
 * date, so a scan that crashes before marking `reminded_due_at` repeats neither; moving the due date re-arms both.
 */
export function scanDueTasksTask(ctx: TaskContext) {
  return async (_job: Job): Promise<{ reminded: number }> => {
    const { rows } = await ctx.db.query<DueTask>(
      `SELECT t.id, t.workspace_id, t.number, t.title, t.due_at, t.due_at::text AS due_exact,
              p.name AS project_name, u.id AS assignee_id, u.email, u.name, u.email_notifications
         FROM tasks t JOIN users u ON u.id = t.assignee_id JOIN projects p ON p.id = t.project_id
        WHERE t.status <> 'done' AND NOT t.archived
          AND t.due_at > now() AND t.due_at <= now() + interval '24 hours'
          AND t.reminded_due_at IS DISTINCT FROM t.due_at
          AND EXISTS (SELECT 1 FROM memberships m WHERE m.workspace_id = t.workspace_id AND m.user_id = u.id)
        ORDER BY t.due_at LIMIT 1000`,
    );
    for (const task of rows) {
      const dueKey = `due-reminder-${task.id}-${task.due_at.getTime()}`;
      await insertNotifications(ctx.db, [
        {
          userId: task.assignee_id,
          workspaceId: task.workspace_id,
          kind: 'due_soon',
          taskId: task.id,
          actorId: null,
          excerpt: `Due ${formatDue(task.due_at)}`,
          dedupeKey: dueKey,
        },
      ]);
      if (task.email_notifications === 'immediately') {
        await ctx.emails.send(
          'due-reminder',
          {
            to: task.email,
            name: task.name,
            taskTitle: task.title,
            taskRef: `${task.project_name} #${task.number}`,
            dueAt: formatDue(task.due_at),
            taskUrl: taskUrl(ctx.config.PUBLIC_URL, task.id),
          },
          dueKey,
        );
      }
      await ctx.db.query(
        `UPDATE tasks SET reminded_due_at = due_at WHERE id = $1 AND due_at = $2::timestamptz`,
        [task.id, task.due_exact],
      );
    }
    return { reminded: rows.length };
  };
}
