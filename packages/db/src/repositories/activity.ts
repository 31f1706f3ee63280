import { rowsOf, run, sql, type Queryable } from '../sql.js';
import { createdAtAfter } from './keyset.js';

export type ActivityInput = {
  workspaceId: string;
  projectId: string;
  actorId: string;
  verb: string;
  subjectType: 'task' | 'comment' | 'attachment';
  subjectId: string;
  data: Record<string, unknown>;
};

/** Records an activity event; run it inside the mutation's transaction, so history and data never disagree. */
export async function recordActivity(db: Queryable, event: ActivityInput): Promise<{ id: string }> {
  const [row] = await rowsOf<{ id: string }>(
    db,
    `INSERT INTO activity_events (workspace_id, project_id, actor_id, verb, subject_type, subject_id, data)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      event.workspaceId,
      event.projectId,
      event.actorId,
      event.verb,
      event.subjectType,
      event.subjectId,
      JSON.stringify(event.data),
    ],
  );
  return row!;
}

export type ActivityRecord = {
  id: string;
  actorId: string | null;
  verb: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
  createdAt: Date;
};

/**
 * One page (plus one row, to know whether there is more) of a project's activity, newest first, after `cursor`
 * (created_at as text, id); each row with its cursor key.
 */
export async function findActivity(
  db: Queryable,
  projectId: string,
  cursor: [string, string] | undefined,
  limit: number,
): Promise<{ event: ActivityRecord; cursorKey: string[] }[]> {
  const rows = await run(
    db,
    sql`SELECT e.id, e.actor_id, e.verb, e.subject_type, e.subject_id, e.data, e.created_at,
        e.created_at::text AS cursor_time
      FROM activity_events e WHERE e.project_id = ${projectId} AND ${createdAtAfter('e', cursor, 'DESC')}
      ORDER BY e.created_at DESC, e.id DESC LIMIT ${limit + 1}`,
  );
  return rows.map((row) => ({
    event: {
      id: row.id as string,
      actorId: row.actor_id as string | null,
      verb: row.verb as string,
      subjectType: row.subject_type as string,
      subjectId: row.subject_id as string,
      data: row.data as Record<string, unknown>,
      createdAt: row.created_at as Date,
    },
    cursorKey: [row.cursor_time as string, row.id as string],
  }));
}
