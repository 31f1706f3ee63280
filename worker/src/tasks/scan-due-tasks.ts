import type { Job } from 'bullmq';
import type { TaskContext } from './context.js';

type DueTask = {
  id: string;
  number: number;
  title: string;
  due_at: Date;
  /** The due date as Postgres prints it: microseconds a JS Date would lose. */
  due_exact: string;
  project_name: string;
  email: string;
  name: string;
};

/** Where the web app shows a task (the same link the API puts in task-assigned emails). */
const taskUrl = (publicUrl: string, id: string) => new URL(`/tasks/${id}`, publicUrl).toString();

/** `2026-11-25 14:00 UTC`: the worker has no idea of the reader's zone, so it says which one it uses. */
const formatDue = (date: Date) => `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The `scan-due-tasks` job: emails each assignee of an open task due within 24 h, once per task per due date.
 * The email's job id is derived from task and due date, so a scan that crashes between enqueueing and marking
 * `reminded_due_at` re-enqueues the same job, which BullMQ ignores; moving the due date re-arms the reminder.
 */
export function scanDueTasksTask(ctx: TaskContext) {
  return async (_job: Job): Promise<{ reminded: number }> => {
    const { rows } = await ctx.db.query<DueTask>(
      `SELECT t.id, t.number, t.title, t.due_at, t.due_at::text AS due_exact, p.name AS project_name, u.email, u.name
         FROM tasks t JOIN users u ON u.id = t.assignee_id JOIN projects p ON p.id = t.project_id
        WHERE t.status <> 'done' AND NOT t.archived
          AND t.due_at > now() AND t.due_at <= now() + interval '24 hours'
          AND t.reminded_due_at IS DISTINCT FROM t.due_at
        ORDER BY t.due_at LIMIT 1000`,
    );
    for (const task of rows) {
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
        `due-reminder-${task.id}-${task.due_at.getTime()}`,
      );
      await ctx.db.query(
        `UPDATE tasks SET reminded_due_at = due_at WHERE id = $1 AND due_at = $2::timestamptz`,
        [task.id, task.due_exact],
      );
    }
    return { reminded: rows.length };
  };
}
