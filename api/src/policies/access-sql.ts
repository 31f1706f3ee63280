/**
 * The access queries of the hot paths (list, create and move tasks), shared with the benchmark's bare server:
 * the row's project and workspace with the caller's role there (NULL when not a member), in one statement.
 * `$1` is the row's id, `$2` the caller's.
 */
export const PROJECT_ACCESS_SQL = `SELECT p.id, p.workspace_id, p.name, m.role FROM projects p
  LEFT JOIN memberships m ON m.workspace_id = p.workspace_id AND m.user_id = $2 WHERE p.id = $1`;
export const TASK_ACCESS_SQL = `SELECT t.id, t.project_id, t.workspace_id, m.role FROM tasks t
  LEFT JOIN memberships m ON m.workspace_id = t.workspace_id AND m.user_id = $2 WHERE t.id = $1`;
