import { rowsOf, type Queryable } from '../sql.js';
import type { TaskFields } from './workspace-export.js';

/**
 * The writes of an import, each one row (or one task's labels), all run by the worker inside the one transaction
 * of the import: a file that fails half-way leaves nothing behind.
 */

/** The workspace's members by lower-cased email: imported people are matched to these and to nobody else. */
export async function memberIdsByEmail(db: Queryable, workspaceId: string): Promise<Map<string, string>> {
  const rows = await rowsOf<{ email: string; id: string }>(
    db,
    `SELECT lower(u.email) AS email, u.id FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.workspace_id = $1`,
    [workspaceId],
  );
  return new Map(rows.map((r) => [r.email, r.id]));
}

/** A project with its task counter already past the highest imported number, so new tasks never repeat one. */
export async function importProject(
  db: Queryable,
  input: { workspaceId: string; name: string; description: string; archived: boolean; taskCounter: number },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    db,
    // clock_timestamp: projects of one import keep the file's order (they are listed by creation time).
    `INSERT INTO all_projects (workspace_id, name, description, archived, task_counter, created_at)
     VALUES ($1, $2, $3, $4, $5, clock_timestamp()) RETURNING id`,
    [input.workspaceId, input.name, input.description, input.archived, input.taskCounter],
  );
  return row!.id;
}

/** The workspace's label of that name (names are unique regardless of case), created with `color` if missing. */
export async function importLabel(
  db: Queryable,
  workspaceId: string,
  name: string,
  color: string,
): Promise<{ id: string; created: boolean }> {
  const [row] = await rowsOf<{ id: string; created: boolean }>(
    db,
    `INSERT INTO labels (workspace_id, name, color) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, lower(name)) DO UPDATE SET updated_at = labels.updated_at
     RETURNING id, (xmax = 0) AS created`,
    [workspaceId, name, color],
  );
  return row!;
}

export type ImportedTask = TaskFields & { workspaceId: string; createdAt: Date | null };

/** One task; `createdAt` keeps the source's date when it has one. */
export async function importTask(db: Queryable, t: ImportedTask): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    db,
    `INSERT INTO all_tasks (workspace_id, project_id, number, title, description, status, position, priority, due_at,
       archived, assignee_id, created_by_id, parent_id, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, COALESCE($14, now())) RETURNING id`,
    [
      t.workspaceId,
      t.projectId,
      t.number,
      t.title,
      t.description,
      t.status,
      t.position,
      t.priority,
      t.dueAt,
      t.archived,
      t.assigneeId,
      t.createdById,
      t.parentId,
      t.createdAt,
    ],
  );
  return row!.id;
}

export async function importTaskLabels(db: Queryable, taskId: string, labelIds: string[]): Promise<void> {
  if (labelIds.length === 0) return;
  await db.query(
    `INSERT INTO task_labels (task_id, label_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
    [taskId, labelIds],
  );
}

export async function importChecklistItem(
  db: Queryable,
  item: {
    taskId: string;
    text: string;
    done: boolean;
    position: string;
    assigneeId: string | null;
    dueAt: Date | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO checklist_items (task_id, text, done, position, assignee_id, due_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [item.taskId, item.text, item.done, item.position, item.assigneeId, item.dueAt],
  );
}

export async function importComment(
  db: Queryable,
  c: { taskId: string; authorId: string | null; body: string; createdAt: Date | null },
): Promise<void> {
  await db.query(
    `INSERT INTO all_comments (task_id, author_id, body, created_at) VALUES ($1, $2, $3, COALESCE($4, now()))`,
    [c.taskId, c.authorId, c.body, c.createdAt],
  );
}

export async function importAttachment(
  db: Queryable,
  a: {
    taskId: string;
    uploadedById: string;
    filename: string;
    contentType: string;
    size: number;
    storageKey: string;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO attachments (task_id, uploaded_by_id, filename, content_type, size, storage_key, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())`,
    [a.taskId, a.uploadedById, a.filename, a.contentType, a.size, a.storageKey],
  );
}

/** A repeating series; its occurrences follow, in date order (each names the one it follows). */
export async function importSeries(
  db: Queryable,
  s: {
    workspaceId: string;
    rule: unknown;
    startsOn: string;
    made: number;
    finished: boolean;
    createdById: string;
  },
): Promise<string> {
  const [row] = await rowsOf<{ id: string }>(
    db,
    `INSERT INTO task_recurrences (workspace_id, rule, starts_on, made, finished_at, created_by_id)
     VALUES ($1, $2, $3, $4, CASE WHEN $5::boolean THEN now() END, $6) RETURNING id`,
    [s.workspaceId, JSON.stringify(s.rule), s.startsOn, s.made, s.finished, s.createdById],
  );
  return row!.id;
}

export async function importOccurrence(
  db: Queryable,
  o: { seriesId: string; date: string; followsDate: string | null; taskId: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO recurrence_occurrences (series_id, occurrence_date, follows_date, task_id) VALUES ($1, $2, $3, $4)`,
    [o.seriesId, o.date, o.followsDate, o.taskId],
  );
}

/** Sets the workspace's time zone when it has none yet (an import never overrides a choice made here). */
export async function importTimeZone(db: Queryable, workspaceId: string, timeZone: string): Promise<void> {
  await db.query(
    `INSERT INTO workspace_time_zones (workspace_id, time_zone) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
    [workspaceId, timeZone],
  );
}
