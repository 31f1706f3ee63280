import type { Role } from '../models/base.js';
import { raw, rowsOf, run, sql, type Queryable } from '../sql.js';
import { TASK_COLUMNS, taskFromRow, type TaskRecord } from './task-rows.js';
import { TOTP_MISSING_SQL } from './totp.js';

/**
 * The trash (migration 0011): the only module that reads the all_* tables. Trashing stamps `deleted_at` and
 * `deleted_by_id`; the rows trashed together with a project (its tasks) or a task (its subtasks) get the very same
 * `deleted_at` (one transaction, one `now()`), which is how a restore finds them again.
 */

export type TrashKind = 'task' | 'comment' | 'project';

/** A task as it left the board (its last known row), with its workspace. */
export type TrashedTask = TaskRecord & { workspaceId: string };

const trashedTask = (row: Record<string, unknown>): TrashedTask => ({
  ...taskFromRow(row),
  workspaceId: row.workspace_id as string,
});

/** Trashes a live task and its live subtasks; the task first, then the subtasks. Empty when it was not live. */
export async function trashTaskRows(db: Queryable, taskId: string, actorId: string): Promise<TrashedTask[]> {
  const rows = await run(
    db,
    sql`UPDATE all_tasks t SET deleted_at = now(), deleted_by_id = ${actorId}
      WHERE (t.id = ${taskId} OR t.parent_id = ${taskId}) AND t.deleted_at IS NULL
        AND EXISTS (SELECT 1 FROM tasks live WHERE live.id = ${taskId})
      RETURNING ${raw(TASK_COLUMNS('t'))}, t.workspace_id`,
  );
  return rows.map(trashedTask).sort((a, b) => Number(b.id === taskId) - Number(a.id === taskId));
}

/** Trashes a live project with its live tasks; false when it was not live. */
export async function trashProjectRows(db: Queryable, projectId: string, actorId: string): Promise<boolean> {
  const [row] = await run<{ trashed: boolean }>(
    db,
    sql`WITH project AS (
        UPDATE all_projects SET deleted_at = now(), deleted_by_id = ${actorId}
        WHERE id = ${projectId} AND deleted_at IS NULL RETURNING id
      ), tasks AS (
        UPDATE all_tasks SET deleted_at = now(), deleted_by_id = ${actorId}
        WHERE project_id = (SELECT id FROM project) AND deleted_at IS NULL
      )
      SELECT EXISTS (SELECT 1 FROM project) AS trashed`,
  );
  return row!.trashed;
}

/** Trashes a live comment; false when it was not live. */
export async function trashCommentRow(db: Queryable, commentId: string, actorId: string): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `UPDATE all_comments SET deleted_at = now(), deleted_by_id = $2 WHERE id = $1 AND deleted_at IS NULL
      RETURNING id`,
    [commentId, actorId],
  );
  return rows.length > 0;
}

/** One row of a workspace's trash list. */
export type TrashItem = {
  kind: TrashKind;
  id: string;
  title: string;
  projectId: string;
  projectName: string;
  /** For a task or a comment: the task (its number), else null. */
  taskNumber: number | null;
  /** Who put it in the trash (null once their account is gone) and when. */
  deletedBy: { id: string; name: string } | null;
  deletedAt: Date;
};

/**
 * What someone trashed, per workspace: projects, tasks and comments, but not the tasks that went with their
 * project or the subtasks that went with their parent (they come back with it, so they are listed with it).
 */
const TRASH_ITEMS = `
  SELECT 'project' AS kind, p.id, p.name AS title, p.id AS project_id, p.name AS project_name,
      NULL::int AS task_number, p.deleted_by_id, p.deleted_at, p.workspace_id
    FROM all_projects p WHERE p.deleted_at IS NOT NULL
  UNION ALL
  SELECT 'task', t.id, t.title, t.project_id, p.name, t.number, t.deleted_by_id, t.deleted_at, t.workspace_id
    FROM all_tasks t JOIN all_projects p ON p.id = t.project_id
    LEFT JOIN all_tasks parent ON parent.id = t.parent_id
    WHERE t.deleted_at IS NOT NULL AND p.deleted_at IS DISTINCT FROM t.deleted_at
      AND parent.deleted_at IS DISTINCT FROM t.deleted_at
  UNION ALL
  SELECT 'comment', c.id, left(c.body, 140), t.project_id, p.name, t.number, c.deleted_by_id, c.deleted_at,
      t.workspace_id
    FROM all_comments c JOIN all_tasks t ON t.id = c.task_id JOIN all_projects p ON p.id = t.project_id
    WHERE c.deleted_at IS NOT NULL`;

const itemFromRow = (row: Record<string, unknown>): TrashItem => ({
  kind: row.kind as TrashKind,
  id: row.id as string,
  title: row.title as string,
  projectId: row.project_id as string,
  projectName: row.project_name as string,
  taskNumber: (row.task_number as number | null) ?? null,
  deletedBy: row.deleted_by_id
    ? { id: row.deleted_by_id as string, name: (row.deleted_by_name as string) ?? '' }
    : null,
  deletedAt: row.deleted_at as Date,
});

/**
 * One page (plus one row, to know whether there is more) of a workspace's trash, most recently trashed first,
 * after `cursor` (deleted_at as text, id); each with its cursor key.
 */
export async function findTrash(
  db: Queryable,
  workspaceId: string,
  cursor: [string, string] | undefined,
  limit: number,
): Promise<{ item: TrashItem; cursorKey: string[] }[]> {
  const after = cursor
    ? sql`AND (i.deleted_at, i.id) < (CAST(${cursor[0]} AS timestamptz), CAST(${cursor[1]} AS uuid))`
    : sql``;
  const rows = await run(
    db,
    sql`SELECT i.*, u.name AS deleted_by_name, i.deleted_at::text AS cursor_time
      FROM (${raw(TRASH_ITEMS)}) i LEFT JOIN users u ON u.id = i.deleted_by_id
      WHERE i.workspace_id = ${workspaceId} ${after}
      ORDER BY i.deleted_at DESC, i.id DESC LIMIT ${limit + 1}`,
  );
  return rows.map((row) => ({
    item: itemFromRow(row),
    cursorKey: [row.cursor_time as string, row.id as string],
  }));
}

/**
 * A trashed item with what deciding on it needs: its workspace, the caller's role there, the comment's author,
 * and whether what holds it (a task's project or parent, a comment's task) is itself in the trash.
 */
export type TrashedAccess = {
  kind: TrashKind;
  id: string;
  workspaceId: string;
  projectId: string;
  deletedAt: Date;
  authorId: string | null;
  /** 'project' or 'parent' (a task's), 'task' (a comment's) when that is trashed too; else null. */
  heldBy: 'project' | 'parent' | 'task' | null;
  role: Role | null;
  totpMissing: boolean;
};

const ACCESS: Record<TrashKind, string> = {
  task: `SELECT t.id, t.workspace_id, t.project_id, t.deleted_at, NULL::uuid AS author_id,
      CASE WHEN p.deleted_at IS NOT NULL THEN 'project' WHEN parent.deleted_at IS NOT NULL THEN 'parent' END AS held_by
    FROM all_tasks t JOIN all_projects p ON p.id = t.project_id LEFT JOIN all_tasks parent ON parent.id = t.parent_id
    WHERE t.id = $1 AND t.deleted_at IS NOT NULL`,
  project: `SELECT p.id, p.workspace_id, p.id AS project_id, p.deleted_at, NULL::uuid AS author_id,
      NULL AS held_by FROM all_projects p WHERE p.id = $1 AND p.deleted_at IS NOT NULL`,
  comment: `SELECT c.id, t.workspace_id, t.project_id, c.deleted_at, c.author_id,
      CASE WHEN t.deleted_at IS NOT NULL OR p.deleted_at IS NOT NULL THEN 'task' END AS held_by
    FROM all_comments c JOIN all_tasks t ON t.id = c.task_id JOIN all_projects p ON p.id = t.project_id
    WHERE c.id = $1 AND c.deleted_at IS NOT NULL`,
};

/** A trashed item of `kind` with the caller's role in its workspace; undefined when no such item is trashed. */
export async function trashedAccess(
  db: Queryable,
  kind: TrashKind,
  id: string,
  userId: string,
): Promise<TrashedAccess | undefined> {
  const [row] = await rowsOf(
    db,
    `SELECT x.*, m.role, ${TOTP_MISSING_SQL}
      FROM (${ACCESS[kind]}) x LEFT JOIN memberships m ON m.workspace_id = x.workspace_id AND m.user_id = $2`,
    [id, userId],
  );
  return (
    row && {
      kind,
      id: row.id as string,
      workspaceId: row.workspace_id as string,
      projectId: row.project_id as string,
      deletedAt: row.deleted_at as Date,
      authorId: row.author_id as string | null,
      heldBy: (row.held_by as TrashedAccess['heldBy']) ?? null,
      role: row.role as Role | null,
      totpMissing: row.totp_missing as boolean,
    }
  );
}

/**
 * Brings a trashed task back with the subtasks trashed together with it; their ids, the task's first. Empty when
 * it is no longer in the trash. Read the tasks afterwards: a subtask count read in this statement would not yet
 * see the subtasks it brings back.
 */
export async function restoreTaskRows(db: Queryable, taskId: string): Promise<string[]> {
  const rows = await run<{ id: string }>(
    db,
    sql`WITH target AS (SELECT id, deleted_at FROM all_tasks WHERE id = ${taskId} AND deleted_at IS NOT NULL
        FOR UPDATE)
      UPDATE all_tasks t SET deleted_at = NULL, deleted_by_id = NULL, updated_at = now() FROM target
      WHERE (t.id = target.id OR t.parent_id = target.id) AND t.deleted_at = target.deleted_at
      RETURNING t.id`,
  );
  return rows.map((row) => row.id).sort((a, b) => Number(b === taskId) - Number(a === taskId));
}

/** Brings a trashed project back with the tasks trashed together with it; false when it is not in the trash. */
export async function restoreProjectRows(db: Queryable, projectId: string): Promise<boolean> {
  const [row] = await run<{ restored: boolean }>(
    db,
    sql`WITH target AS (SELECT id, deleted_at FROM all_projects WHERE id = ${projectId} AND deleted_at IS NOT NULL
        FOR UPDATE),
      project AS (UPDATE all_projects p SET deleted_at = NULL, deleted_by_id = NULL FROM target
        WHERE p.id = target.id RETURNING p.id),
      tasks AS (UPDATE all_tasks t SET deleted_at = NULL, deleted_by_id = NULL FROM target
        WHERE t.project_id = target.id AND t.deleted_at = target.deleted_at)
      SELECT EXISTS (SELECT 1 FROM project) AS restored`,
  );
  return row!.restored;
}

/** Brings a trashed comment back; false when it is not in the trash. */
export async function restoreCommentRow(db: Queryable, commentId: string): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `UPDATE all_comments SET deleted_at = NULL, deleted_by_id = NULL WHERE id = $1 AND deleted_at IS NOT NULL
      RETURNING id`,
    [commentId],
  );
  return rows.length > 0;
}

/** The storage keys of the attachments that go when the given trashed projects and tasks are purged. */
const STORAGE_KEYS = `SELECT a.storage_key FROM attachments a JOIN all_tasks t ON t.id = a.task_id
  WHERE t.id = ANY($1::uuid[]) OR t.project_id = ANY($2::uuid[])`;

/**
 * Purges a trashed item for good (a project's tasks, a task's subtasks and comments, attachment rows cascade or
 * go with it); the storage keys of the files to remove, or undefined when it is not in the trash. Run it in a
 * transaction: the rows are locked first, so a concurrent restore waits and then finds nothing.
 */
export async function purgeTrashedItem(
  db: Queryable,
  kind: TrashKind,
  id: string,
): Promise<string[] | undefined> {
  const table = { task: 'all_tasks', project: 'all_projects', comment: 'all_comments' }[kind];
  const [target] = await rowsOf(
    db,
    `SELECT id FROM ${table} WHERE id = $1 AND deleted_at IS NOT NULL FOR UPDATE`,
    [id],
  );
  if (!target) return undefined;
  if (kind === 'comment') {
    await db.query(`DELETE FROM all_comments WHERE id = $1`, [id]);
    return [];
  }
  // A task goes with the subtasks trashed together with it (they are listed as part of it). The timestamp is
  // compared in SQL: a JS Date would drop its microseconds.
  const taskIds =
    kind === 'task'
      ? (
          await rowsOf<{ id: string }>(
            db,
            `SELECT s.id FROM all_tasks s JOIN all_tasks t ON t.id = $1
              WHERE (s.id = t.id OR s.parent_id = t.id) AND s.deleted_at = t.deleted_at FOR UPDATE OF s`,
            [id],
          )
        ).map((row) => row.id)
      : [];
  const projectIds = kind === 'project' ? [id] : [];
  const keys = await rowsOf<{ storage_key: string }>(db, STORAGE_KEYS, [taskIds, projectIds]);
  if (kind === 'project') await db.query(`DELETE FROM all_projects WHERE id = $1`, [id]);
  else await db.query(`DELETE FROM all_tasks WHERE id = ANY($1::uuid[])`, [taskIds]);
  return keys.map((row) => row.storage_key);
}

/** What a purge run removes: row counts by kind and the files to remove. */
export type ExpiredTrash = { projects: string[]; tasks: string[]; comments: string[]; storageKeys: string[] };

/**
 * Locks up to `limit` items of each kind trashed longer ago than their workspace's retention, and the storage keys
 * of their attachments; `deleteExpiredTrash` then removes them. Between the two the caller removes the files: a
 * restore meanwhile waits on the locks, and a crash leaves rows whose files are gone, which the next run deletes.
 */
export async function lockExpiredTrash(db: Queryable, limit: number): Promise<ExpiredTrash> {
  const expired = (table: string, workspace: string, join = '') =>
    `SELECT x.id FROM ${table} x ${join} JOIN workspaces w ON w.id = ${workspace}
      WHERE x.deleted_at IS NOT NULL AND x.deleted_at < now() - make_interval(days => w.trash_retention_days)
      ORDER BY x.deleted_at LIMIT $1 FOR UPDATE OF x SKIP LOCKED`;
  const ids = async (statement: string) =>
    (await rowsOf<{ id: string }>(db, statement, [limit])).map((row) => row.id);
  const projects = await ids(expired('all_projects', 'x.workspace_id'));
  const tasks = await ids(expired('all_tasks', 'x.workspace_id'));
  const comments = await ids(
    expired('all_comments', 't.workspace_id', 'JOIN all_tasks t ON t.id = x.task_id'),
  );
  const keys = await rowsOf<{ storage_key: string }>(db, STORAGE_KEYS, [tasks, projects]);
  return { projects, tasks, comments, storageKeys: keys.map((row) => row.storage_key) };
}

/** Deletes what `lockExpiredTrash` locked (cascading to what the rows hold). */
export async function deleteExpiredTrash(db: Queryable, expired: ExpiredTrash): Promise<void> {
  await db.query(`DELETE FROM all_comments WHERE id = ANY($1::uuid[])`, [expired.comments]);
  await db.query(`DELETE FROM all_tasks WHERE id = ANY($1::uuid[])`, [expired.tasks]);
  await db.query(`DELETE FROM all_projects WHERE id = ANY($1::uuid[])`, [expired.projects]);
}

/** A workspace's trash retention in days. */
export async function trashRetentionDays(db: Queryable, workspaceId: string): Promise<number | undefined> {
  const [row] = await rowsOf<{ days: number }>(
    db,
    `SELECT trash_retention_days AS days FROM workspaces WHERE id = $1`,
    [workspaceId],
  );
  return row?.days;
}

/** Sets a workspace's trash retention in days (1–365, as the column's check requires). */
export async function setTrashRetentionDays(db: Queryable, workspaceId: string, days: number): Promise<void> {
  await db.query(`UPDATE workspaces SET trash_retention_days = $2, updated_at = now() WHERE id = $1`, [
    workspaceId,
    days,
  ]);
}
