import { rowsOf, type Queryable } from '../sql.js';

/** The iCal feeds repository: one `calendar_feeds` row per user (never the secret, only its SHA-256 hash). */
export type CalendarFeedRecord = {
  userId: string;
  timeZone: string;
  lastUsedAt: Date | null;
  createdAt: Date;
};

type CalendarFeedRow = { user_id: string; time_zone: string; last_used_at: Date | null; created_at: Date };

const COLUMNS = `user_id, time_zone, last_used_at, created_at`;

const fromRow = (row: CalendarFeedRow): CalendarFeedRecord => ({
  userId: row.user_id,
  timeZone: row.time_zone,
  lastUsedAt: row.last_used_at,
  createdAt: row.created_at,
});

/** Creates the user's feed, or replaces its secret (and zone) when they have one: the old URL stops working. */
export async function putCalendarFeed(
  db: Queryable,
  feed: { userId: string; tokenHash: string; timeZone: string },
): Promise<CalendarFeedRecord> {
  const [row] = await rowsOf<CalendarFeedRow>(
    db,
    `INSERT INTO calendar_feeds (user_id, token_hash, time_zone) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE
       SET token_hash = EXCLUDED.token_hash, time_zone = EXCLUDED.time_zone, last_used_at = NULL, created_at = now()
     RETURNING ${COLUMNS}`,
    [feed.userId, feed.tokenHash, feed.timeZone],
  );
  return fromRow(row!);
}

/** The user's feed, if they have one. */
export async function calendarFeedOf(db: Queryable, userId: string): Promise<CalendarFeedRecord | undefined> {
  const [row] = await rowsOf<CalendarFeedRow>(
    db,
    `SELECT ${COLUMNS} FROM calendar_feeds WHERE user_id = $1`,
    [userId],
  );
  return row && fromRow(row);
}

/** The feed whose secret hashes to `tokenHash`, or undefined (unknown, rotated or revoked). */
export async function findCalendarFeed(
  db: Queryable,
  tokenHash: string,
): Promise<CalendarFeedRecord | undefined> {
  const [row] = await rowsOf<CalendarFeedRow>(
    db,
    `SELECT ${COLUMNS} FROM calendar_feeds WHERE token_hash = $1`,
    [tokenHash],
  );
  return row && fromRow(row);
}

/** Notes a fetch; at most once a minute, since calendar apps poll. */
export async function touchCalendarFeed(db: Queryable, userId: string): Promise<void> {
  await db.query(
    `UPDATE calendar_feeds SET last_used_at = now()
      WHERE user_id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [userId],
  );
}

/** Deletes the user's feed; false when they had none. */
export async function deleteCalendarFeed(db: Queryable, userId: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM calendar_feeds WHERE user_id = $1`, [userId]);
  return rowCount === 1;
}

/** A task as the feed shows it: what an event needs, with where it lives. */
export type FeedTask = {
  id: string;
  number: number;
  title: string;
  description: string;
  dueAt: Date;
  updatedAt: Date;
  projectName: string;
  workspaceName: string;
};

/**
 * The open tasks assigned to `userId` with a due date inside the window, in the workspaces they are a member of
 * now (a removed member's feed loses that workspace's tasks at once), soonest first, at most `limit`.
 */
export async function feedTasksOf(
  db: Queryable,
  userId: string,
  window: { from: Date; to: Date; limit: number },
): Promise<FeedTask[]> {
  const rows = await rowsOf<{
    id: string;
    number: number;
    title: string;
    description: string;
    due_at: Date;
    updated_at: Date;
    project_name: string;
    workspace_name: string;
  }>(
    db,
    `SELECT t.id, t.number, t.title, t.description, t.due_at, t.updated_at,
            p.name AS project_name, w.name AS workspace_name
       FROM tasks t
       JOIN memberships m ON m.workspace_id = t.workspace_id AND m.user_id = $1
       JOIN projects p ON p.id = t.project_id
       JOIN workspaces w ON w.id = t.workspace_id
      WHERE t.assignee_id = $1 AND t.status <> 'done' AND NOT p.archived
        AND t.due_at >= $2 AND t.due_at < $3
      ORDER BY t.due_at, t.id
      LIMIT $4`,
    [userId, window.from, window.to, window.limit],
  );
  return rows.map((row) => ({
    id: row.id,
    number: row.number,
    title: row.title,
    description: row.description,
    dueAt: row.due_at,
    updatedAt: row.updated_at,
    projectName: row.project_name,
    workspaceName: row.workspace_name,
  }));
}
