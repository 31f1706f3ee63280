import { raw, rowsOf, run, sql, type Queryable } from '../sql.js';
import { taskChildAccess, type MemberAccess, type TaskRef } from './access.js';
import { createdAtAfter } from './keyset.js';

/** A comment as the API reads it. */
export type CommentRecord = {
  id: string;
  taskId: string;
  authorId: string | null;
  body: string;
  createdAt: Date;
  updatedAt: Date;
};

const COLUMNS = 'c.id, c.task_id, c.author_id, c.body, c.created_at, c.updated_at';

const commentFromRow = (row: Record<string, unknown>): CommentRecord => ({
  id: row.id as string,
  taskId: row.task_id as string,
  authorId: row.author_id as string | null,
  body: row.body as string,
  createdAt: row.created_at as Date,
  updatedAt: row.updated_at as Date,
});

/**
 * One page (plus one row, to know whether there is more) of a task's comments, oldest first, after `cursor`
 * (created_at as text, id); each with its cursor key.
 */
export async function findComments(
  db: Queryable,
  taskId: string,
  cursor: [string, string] | undefined,
  limit: number,
): Promise<{ comment: CommentRecord; cursorKey: string[] }[]> {
  const rows = await run(
    db,
    sql`SELECT ${raw(COLUMNS)}, c.created_at::text AS cursor_time FROM comments c
      WHERE c.task_id = ${taskId} AND ${createdAtAfter('c', cursor, 'ASC')}
      ORDER BY c.created_at, c.id LIMIT ${limit + 1}`,
  );
  return rows.map((row) => ({
    comment: commentFromRow(row),
    cursorKey: [row.cursor_time as string, row.id as string],
  }));
}

/**
 * A comment with its task and the caller's role in the task's workspace (null when not a member), in one
 * statement; undefined when there is no such comment.
 */
export async function commentAccess(
  db: Queryable,
  commentId: string,
  userId: string,
): Promise<(MemberAccess & { comment: CommentRecord; task: TaskRef }) | undefined> {
  const found = await taskChildAccess(
    db,
    { table: 'comments', alias: 'c', columns: COLUMNS },
    commentId,
    userId,
  );
  if (!found) return undefined;
  const { row, ...access } = found;
  return { comment: commentFromRow(row), ...access };
}

/** Adds a comment to a task. */
export async function insertComment(
  db: Queryable,
  comment: { taskId: string; authorId: string; body: string },
): Promise<CommentRecord> {
  const [row] = await rowsOf(
    db,
    `INSERT INTO comments AS c (task_id, author_id, body) VALUES ($1, $2, $3) RETURNING ${COLUMNS}`,
    [comment.taskId, comment.authorId, comment.body],
  );
  return commentFromRow(row!);
}

/** Replaces a comment's body (`updated_at` moves only when it changes); undefined when the comment is gone. */
export async function updateCommentBody(
  db: Queryable,
  commentId: string,
  body: string,
): Promise<CommentRecord | undefined> {
  const [row] = await rowsOf(
    db,
    `UPDATE comments AS c SET body = $2,
        updated_at = CASE WHEN c.body IS DISTINCT FROM $2 THEN now() ELSE c.updated_at END
      WHERE c.id = $1 RETURNING ${COLUMNS}`,
    [commentId, body],
  );
  return row && commentFromRow(row);
}
