import type { Job } from 'bullmq';
import type { TaskContext } from './context.js';

type DueTask = {
  id: string;
  number: number;
  title: string;
  due_at: Date;
  workspace_id: string;
  project_id: string;
  email: string;
  name: string;
};

/** Where the web app shows a task; the link in reminder emails. */
export function taskUrl(
  publicUrl: string,
  task: Pick<DueTask, 'workspace_id' | 'project_id' | 'number'>,
): string {
  return new URL(`/w/${task.workspace_id}/p/${task.project_id}/t/${task.number}`, publicUrl).toString();
}

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
      `SELECT t.id, t.number, t.title, t.due_at, t.workspace_id, t.project_id, u.email, u.name
         FROM tasks t JOIN users u ON u.id = t.assignee_id
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
          taskRef: `#${task.number}`,
          dueAt: formatDue(task.due_at),
          taskUrl: taskUrl(ctx.config.PUBLIC_URL, task),
        },
        `due-reminder-${task.id}-${task.due_at.getTime()}`,
      );
      await ctx.db.query(`UPDATE tasks SET reminded_due_at = due_at WHERE id = $1 AND due_at = $2`, [
        task.id,
        task.due_at,
      ]);
    }
    return { reminded: rows.length };
  };
}
