import { rowsOf, type Queryable } from '../sql.js';

/** A task's own columns, as an export reads them and an import writes them. */
export type TaskFields = {
  projectId: string;
  number: number;
  title: string;
  description: string;
  status: string;
  position: string;
  priority: string;
  dueAt: Date | null;
  archived: boolean;
  assigneeId: string | null;
  createdById: string | null;
  parentId: string | null;
};

/**
 * Everything an export holds, read as rows of the live workspace (trashed projects, tasks and comments are not
 * exported: the views leave them out). Users are named by id here; the worker writes them as emails.
 */
export type WorkspaceSnapshot = {
  workspace: { id: string; name: string; timeZone: string | null };
  /** Members, and anyone else a task, comment or checklist item names (a former member keeps their email). */
  users: { id: string; email: string; name: string; role: string | null }[];
  labels: { id: string; name: string; color: string }[];
  projects: { id: string; name: string; description: string; archived: boolean; createdAt: Date }[];
  tasks: (TaskFields & { id: string; createdAt: Date; labelIds: string[] })[];
  checklistItems: {
    taskId: string;
    text: string;
    done: boolean;
    position: string;
    assigneeId: string | null;
    dueAt: Date | null;
  }[];
  comments: { taskId: string; authorId: string | null; body: string; createdAt: Date }[];
  attachments: {
    id: string;
    taskId: string;
    filename: string;
    contentType: string;
    size: number;
    storageKey: string;
    createdAt: Date;
  }[];
  series: { id: string; rule: unknown; startsOn: string; made: number; finished: boolean }[];
  occurrences: { seriesId: string; date: string; followsDate: string | null; taskId: string | null }[];
};

/** Reads a whole workspace for its export, in a stable order (so two exports of the same data are the same). */
export async function readWorkspaceSnapshot(db: Queryable, workspaceId: string): Promise<WorkspaceSnapshot> {
  const [workspace] = await rowsOf<{ id: string; name: string; time_zone: string | null }>(
    db,
    `SELECT w.id, w.name, z.time_zone FROM workspaces w
     LEFT JOIN workspace_time_zones z ON z.workspace_id = w.id WHERE w.id = $1`,
    [workspaceId],
  );
  if (!workspace) throw new Error(`workspace ${workspaceId} not found`);
  const p = [workspaceId];
  const users = await rowsOf<{ id: string; email: string; name: string; role: string | null }>(
    db,
    `WITH named AS (
       SELECT user_id AS id FROM memberships WHERE workspace_id = $1
       UNION SELECT assignee_id FROM tasks WHERE workspace_id = $1
       UNION SELECT created_by_id FROM tasks WHERE workspace_id = $1
       UNION SELECT c.author_id FROM comments c JOIN tasks t ON t.id = c.task_id WHERE t.workspace_id = $1
       UNION SELECT i.assignee_id FROM checklist_items i JOIN tasks t ON t.id = i.task_id WHERE t.workspace_id = $1
     )
     SELECT u.id, u.email, u.name, m.role::text AS role FROM named n JOIN users u ON u.id = n.id
     LEFT JOIN memberships m ON m.user_id = u.id AND m.workspace_id = $1
     ORDER BY lower(u.email)`,
    p,
  );
  const labels = await rowsOf<{ id: string; name: string; color: string }>(
    db,
    `SELECT id, name, color FROM labels WHERE workspace_id = $1 ORDER BY lower(name), id`,
    p,
  );
  const projects = await rowsOf<WorkspaceSnapshot['projects'][number]>(
    db,
    `SELECT id, name, description, archived, created_at AS "createdAt" FROM projects
     WHERE workspace_id = $1 ORDER BY created_at, id`,
    p,
  );
  const tasks = await rowsOf<WorkspaceSnapshot['tasks'][number]>(
    db,
    `SELECT t.id, t.project_id AS "projectId", t.number, t.title, t.description, t.status::text AS status,
       t.position, t.priority::text AS priority, t.due_at AS "dueAt", t.archived, t.assignee_id AS "assigneeId",
       t.created_by_id AS "createdById", t.parent_id AS "parentId", t.created_at AS "createdAt",
       ARRAY(SELECT tl.label_id FROM task_labels tl WHERE tl.task_id = t.id ORDER BY tl.label_id) AS "labelIds"
     FROM tasks t JOIN projects p ON p.id = t.project_id
     WHERE t.workspace_id = $1 ORDER BY p.created_at, p.id, t.number`,
    p,
  );
  const checklistItems = await rowsOf<WorkspaceSnapshot['checklistItems'][number]>(
    db,
    `SELECT i.task_id AS "taskId", i.text, i.done, i.position, i.assignee_id AS "assigneeId", i.due_at AS "dueAt"
     FROM checklist_items i JOIN tasks t ON t.id = i.task_id WHERE t.workspace_id = $1
     ORDER BY i.task_id, i.position, i.id`,
    p,
  );
  const comments = await rowsOf<WorkspaceSnapshot['comments'][number]>(
    db,
    `SELECT c.task_id AS "taskId", c.author_id AS "authorId", c.body, c.created_at AS "createdAt"
     FROM comments c JOIN tasks t ON t.id = c.task_id WHERE t.workspace_id = $1
     ORDER BY c.task_id, c.created_at, c.id`,
    p,
  );
  const attachments = (
    await rowsOf<WorkspaceSnapshot['attachments'][number]>(
      db,
      `SELECT a.id, a.task_id AS "taskId", a.filename, a.content_type AS "contentType", a.size,
         a.storage_key AS "storageKey", a.created_at AS "createdAt"
       FROM attachments a JOIN tasks t ON t.id = a.task_id WHERE t.workspace_id = $1
       ORDER BY a.task_id, a.created_at, a.id`,
      p,
    )
  ).map((a) => ({ ...a, size: Number(a.size) }));
  const series = await rowsOf<WorkspaceSnapshot['series'][number]>(
    db,
    `SELECT id, rule, starts_on::text AS "startsOn", made, finished_at IS NOT NULL AS finished
     FROM task_recurrences WHERE workspace_id = $1 ORDER BY created_at, id`,
    p,
  );
  const occurrences = await rowsOf<WorkspaceSnapshot['occurrences'][number]>(
    db,
    `SELECT o.series_id AS "seriesId", o.occurrence_date::text AS date, o.follows_date::text AS "followsDate",
       t.id AS "taskId"
     FROM recurrence_occurrences o JOIN task_recurrences s ON s.id = o.series_id
     LEFT JOIN tasks t ON t.id = o.task_id
     WHERE s.workspace_id = $1 ORDER BY o.series_id, o.occurrence_date`,
    p,
  );
  return {
    workspace: { id: workspace.id, name: workspace.name, timeZone: workspace.time_zone },
    users,
    labels,
    projects,
    tasks,
    checklistItems,
    comments,
    attachments,
    series,
    occurrences,
  };
}
