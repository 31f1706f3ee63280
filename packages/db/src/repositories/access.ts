import type { Role } from '../models/base.js';
import { rowsOf, type Queryable } from '../sql.js';
import { TOTP_MISSING_SQL } from './totp.js';

/**
 * The access queries: a row's place (project, workspace) with the caller's role there — NULL when not a member —
 * in one statement, so the policies decide 404/403 on one round trip. `$1` is the row's id, `$2` the caller's.
 * The hot paths (list, create and move tasks) share them with the benchmark's bare server.
 */
export const PROJECT_ACCESS_SQL = `SELECT p.id, p.workspace_id, p.name, m.role, ${TOTP_MISSING_SQL} FROM projects p
  LEFT JOIN memberships m ON m.workspace_id = p.workspace_id AND m.user_id = $2 WHERE p.id = $1`;
export const TASK_ACCESS_SQL = `SELECT t.id, t.project_id, t.workspace_id, t.number, m.role, ${TOTP_MISSING_SQL} FROM tasks t
  LEFT JOIN memberships m ON m.workspace_id = t.workspace_id AND m.user_id = $2 WHERE t.id = $1`;

/**
 * The caller's standing in a row's workspace: their role (null: not a member) and whether the workspace requires
 * two-factor sign-in they have not set up.
 */
export type MemberAccess = { role: Role | null; totpMissing: boolean };
export type Access<T> = MemberAccess & { ref: T };
export type ProjectRef = { id: string; workspaceId: string; name: string };
export type TaskRef = { id: string; projectId: string; workspaceId: string; number: number };

/** A project with the caller's role in its workspace; undefined when there is no such project. */
export async function projectAccess(
  db: Queryable,
  projectId: string,
  userId: string,
): Promise<Access<ProjectRef> | undefined> {
  const [row] = await rowsOf<{
    id: string;
    workspace_id: string;
    name: string;
    role: Role | null;
    totp_missing: boolean;
  }>(db, PROJECT_ACCESS_SQL, [projectId, userId]);
  return (
    row && {
      ref: { id: row.id, workspaceId: row.workspace_id, name: row.name },
      role: row.role,
      totpMissing: row.totp_missing,
    }
  );
}

/** A task with the caller's role in its workspace; undefined when there is no such task. */
export async function taskAccess(
  db: Queryable,
  taskId: string,
  userId: string,
): Promise<Access<TaskRef> | undefined> {
  const [row] = await rowsOf<{
    id: string;
    project_id: string;
    workspace_id: string;
    number: number;
    role: Role | null;
    totp_missing: boolean;
  }>(db, TASK_ACCESS_SQL, [taskId, userId]);
  const ref = row && {
    id: row.id,
    projectId: row.project_id,
    workspaceId: row.workspace_id,
    number: row.number,
  };
  return row && { ref: ref!, role: row.role, totpMissing: row.totp_missing };
}

/**
 * A row that belongs to a task (a comment, an attachment) with its task and the caller's role in the task's
 * workspace, in one statement; undefined when there is no such row. `table` is aliased by its `columns`' prefix.
 */
export async function taskChildAccess(
  db: Queryable,
  child: { table: 'comments' | 'attachments'; alias: string; columns: string },
  id: string,
  userId: string,
): Promise<(MemberAccess & { row: Record<string, unknown>; task: TaskRef }) | undefined> {
  const { table, alias, columns } = child;
  const [row] = await rowsOf(
    db,
    `SELECT ${columns}, t.project_id, t.workspace_id, t.number, m.role, ${TOTP_MISSING_SQL} FROM ${table} ${alias}
      JOIN tasks t ON t.id = ${alias}.task_id
      LEFT JOIN memberships m ON m.workspace_id = t.workspace_id AND m.user_id = $2
      WHERE ${alias}.id = $1`,
    [id, userId],
  );
  if (!row) return undefined;
  const task = {
    id: row.task_id as string,
    projectId: row.project_id as string,
    workspaceId: row.workspace_id as string,
    number: row.number as number,
  };
  return { row, task, role: row.role as Role | null, totpMissing: row.totp_missing as boolean };
}
