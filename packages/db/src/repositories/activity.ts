import { rowsOf, type Queryable } from '../sql.js';

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
