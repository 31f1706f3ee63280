import { raw, rowsOf, run, sql, type Queryable } from '../sql.js';
import { createdAtAfter } from './keyset.js';

export type NotificationKind = 'assigned' | 'mentioned' | 'commented' | 'due_soon';
export type EmailPreference = 'immediately' | 'daily' | 'never';

/** One inbox item as the API lists it, with what the inbox shows of its task and actor. */
export type NotificationRecord = {
  id: string;
  workspaceId: string;
  kind: NotificationKind;
  excerpt: string;
  taskId: string | null;
  projectId: string | null;
  taskNumber: number | null;
  taskTitle: string | null;
  projectName: string | null;
  actorId: string | null;
  actorName: string | null;
  readAt: Date | null;
  createdAt: Date;
};

/** A new inbox item; `dedupeKey` (per user) makes a repeated insert a no-op. */
export type NewNotification = {
  userId: string;
  workspaceId: string;
  kind: NotificationKind;
  taskId: string | null;
  actorId: string | null;
  excerpt: string;
  dedupeKey?: string;
};

const SELECT = `SELECT n.id, n.workspace_id, n.kind, n.excerpt, n.task_id, t.project_id, t.number, t.title,
    p.name AS project_name, n.actor_id, a.name AS actor_name, n.read_at, n.created_at, n.created_at::text AS cursor_time
  FROM notifications n LEFT JOIN tasks t ON t.id = n.task_id
  LEFT JOIN projects p ON p.id = t.project_id LEFT JOIN users a ON a.id = n.actor_id`;

/**
 * Items about a task in the trash (or in a trashed project) are hidden from the inbox, its count and the digest
 * until it is restored; a purge deletes them (the foreign key cascades).
 */
const LIVE_TASK = `(n.task_id IS NULL OR EXISTS (SELECT 1 FROM tasks live WHERE live.id = n.task_id))`;

const fromRow = (row: Record<string, unknown>): NotificationRecord => ({
  id: row.id as string,
  workspaceId: row.workspace_id as string,
  kind: row.kind as NotificationKind,
  excerpt: row.excerpt as string,
  taskId: row.task_id as string | null,
  projectId: (row.project_id as string | null) ?? null,
  taskNumber: (row.number as number | null) ?? null,
  taskTitle: (row.title as string | null) ?? null,
  projectName: (row.project_name as string | null) ?? null,
  actorId: row.actor_id as string | null,
  actorName: (row.actor_name as string | null) ?? null,
  readAt: row.read_at as Date | null,
  createdAt: row.created_at as Date,
});

/**
 * Adds inbox items in one statement, skipping any whose (user, dedupe key) exists; returns the rows written with
 * each recipient's email preference, so the caller can email those who want it at once. Only items of digest
 * readers stay owed an email (`emailed_at` null): the others are emailed now or never.
 */
export async function insertNotifications(
  db: Queryable,
  items: NewNotification[],
): Promise<{ id: string; userId: string; preference: EmailPreference }[]> {
  if (items.length === 0) return [];
  const rows = await rowsOf<{ id: string; user_id: string; email_notifications: EmailPreference }>(
    db,
    `WITH written AS (
       INSERT INTO notifications (user_id, workspace_id, kind, task_id, actor_id, excerpt, dedupe_key, emailed_at)
       SELECT x.user_id, x.workspace_id, x.kind, x.task_id, x.actor_id, x.excerpt, x.dedupe_key,
           CASE WHEN u.email_notifications <> 'daily' THEN now() END
         FROM jsonb_to_recordset($1::jsonb) AS x(user_id uuid, workspace_id uuid, kind text, task_id uuid,
           actor_id uuid, excerpt text, dedupe_key text)
         JOIN users u ON u.id = x.user_id
       ON CONFLICT (user_id, dedupe_key) DO NOTHING
       RETURNING id, user_id)
     SELECT w.id, w.user_id, u.email_notifications FROM written w JOIN users u ON u.id = w.user_id`,
    [
      JSON.stringify(
        items.map((n) => ({
          user_id: n.userId,
          workspace_id: n.workspaceId,
          kind: n.kind,
          task_id: n.taskId,
          actor_id: n.actorId,
          excerpt: n.excerpt,
          dedupe_key: n.dedupeKey ?? null,
        })),
      ),
    ],
  );
  return rows.map((r) => ({ id: r.id, userId: r.user_id, preference: r.email_notifications }));
}

/** One inbox item by id, if it is `userId`'s. */
export async function findNotification(
  db: Queryable,
  userId: string,
  id: string,
): Promise<NotificationRecord | undefined> {
  const [row] = await rowsOf(db, `${SELECT} WHERE n.id = $1 AND n.user_id = $2`, [id, userId]);
  return row && fromRow(row);
}

/** Inbox items of a user in a workspace by id (the ones just written, to announce them). */
export async function notificationsByIds(db: Queryable, ids: string[]): Promise<NotificationRecord[]> {
  if (ids.length === 0) return [];
  const rows = await rowsOf(db, `${SELECT} WHERE n.id = ANY($1::uuid[]) ORDER BY n.created_at, n.id`, [ids]);
  return rows.map(fromRow);
}

/** One page (plus one row) of a user's inbox in a workspace, newest first, optionally unread only. */
export async function findNotifications(
  db: Queryable,
  userId: string,
  workspaceId: string,
  options: { unreadOnly: boolean; cursor: [string, string] | undefined; limit: number },
): Promise<{ notification: NotificationRecord; cursorKey: string[] }[]> {
  const rows = await run(
    db,
    sql`${raw(SELECT)}
      WHERE n.user_id = ${userId} AND n.workspace_id = ${workspaceId} AND ${raw(LIVE_TASK)}
        AND (CAST(${!options.unreadOnly} AS boolean) OR n.read_at IS NULL)
        AND ${createdAtAfter('n', options.cursor, 'DESC')}
      ORDER BY n.created_at DESC, n.id DESC LIMIT ${options.limit + 1}`,
  );
  return rows.map((row) => ({
    notification: fromRow(row),
    cursorKey: [row.cursor_time as string, row.id as string],
  }));
}

/** How many of a user's inbox items in a workspace are unread. */
export async function unreadCount(db: Queryable, userId: string, workspaceId: string): Promise<number> {
  const [row] = await rowsOf<{ count: number }>(
    db,
    `SELECT count(*)::int AS count FROM notifications n
      WHERE n.user_id = $1 AND n.workspace_id = $2 AND n.read_at IS NULL AND ${LIVE_TASK}`,
    [userId, workspaceId],
  );
  return row!.count;
}

/** Marks one item read (or unread again); undefined when it is not the user's. */
export async function setNotificationRead(
  db: Queryable,
  userId: string,
  id: string,
  read: boolean,
): Promise<{ workspaceId: string } | undefined> {
  const [row] = await rowsOf<{ workspace_id: string }>(
    db,
    `UPDATE notifications SET read_at = CASE WHEN $3 THEN coalesce(read_at, now()) END
      WHERE id = $1 AND user_id = $2 RETURNING workspace_id`,
    [id, userId, read],
  );
  return row && { workspaceId: row.workspace_id };
}

/** Marks every unread item of a user in a workspace read; returns how many changed. */
export async function markAllNotificationsRead(
  db: Queryable,
  userId: string,
  workspaceId: string,
): Promise<number> {
  const rows = await rowsOf(
    db,
    `UPDATE notifications SET read_at = now()
      WHERE user_id = $1 AND workspace_id = $2 AND read_at IS NULL RETURNING id`,
    [userId, workspaceId],
  );
  return rows.length;
}

/** Marks items as covered by an email (immediate or digest), so no digest repeats them. */
export async function markNotificationsEmailed(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await rowsOf(db, `UPDATE notifications SET emailed_at = now() WHERE id = ANY($1::uuid[])`, [ids]);
}

/** Which of `userIds` are members of the workspace: the tenant check of every recipient. */
export async function membersAmong(db: Queryable, workspaceId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await rowsOf<{ user_id: string }>(
    db,
    `SELECT user_id FROM memberships WHERE workspace_id = $1 AND user_id = ANY($2::uuid[])`,
    [workspaceId, userIds],
  );
  return rows.map((r) => r.user_id);
}

/** Who a task concerns: its creator and assignee (either may be null). */
export async function taskPeople(
  db: Queryable,
  taskId: string,
): Promise<{ createdById: string | null; assigneeId: string | null; title: string } | undefined> {
  const [row] = await rowsOf<{ created_by_id: string | null; assignee_id: string | null; title: string }>(
    db,
    `SELECT created_by_id, assignee_id, title FROM tasks WHERE id = $1`,
    [taskId],
  );
  return row && { createdById: row.created_by_id, assigneeId: row.assignee_id, title: row.title };
}

/** A user's email preference; undefined when there is no such user. */
export async function emailPreference(db: Queryable, userId: string): Promise<EmailPreference | undefined> {
  const [row] = await rowsOf<{ email_notifications: EmailPreference }>(
    db,
    `SELECT email_notifications FROM users WHERE id = $1`,
    [userId],
  );
  return row?.email_notifications;
}

/** Sets a user's email preference. */
export async function setEmailPreference(db: Queryable, userId: string, preference: EmailPreference) {
  await rowsOf(db, `UPDATE users SET email_notifications = $2 WHERE id = $1`, [userId, preference]);
}

/** A digest's content: a user's unread, not yet emailed items of the last day, across workspaces. */
export type DigestItem = {
  id: string;
  kind: NotificationKind;
  excerpt: string;
  taskRef: string;
  taskId: string | null;
  actorName: string | null;
};

/**
 * Users on the daily digest with unread, un-emailed items and no digest yet for `day` (UTC, `YYYY-MM-DD`), with
 * those items (at most 50 each, newest first).
 */
export async function pendingDigests(
  db: Queryable,
  day: string,
): Promise<{ userId: string; email: string; name: string; items: DigestItem[] }[]> {
  const rows = await rowsOf<{ user_id: string; email: string; name: string; items: DigestItem[] }>(
    db,
    `SELECT u.id AS user_id, u.email, u.name, (
         SELECT json_agg(json_build_object('id', i.id, 'kind', i.kind, 'excerpt', i.excerpt, 'taskId', i.task_id,
             'taskRef', coalesce(i.ref, ''), 'actorName', i.actor_name) ORDER BY i.created_at DESC)
           FROM (SELECT n.id, n.kind, n.excerpt, n.task_id, n.created_at, a.name AS actor_name,
                   p.name || ' #' || t.number || ' ' || t.title AS ref
                 FROM notifications n LEFT JOIN tasks t ON t.id = n.task_id LEFT JOIN projects p ON p.id = t.project_id
                 LEFT JOIN users a ON a.id = n.actor_id
                WHERE n.user_id = u.id AND n.read_at IS NULL AND n.emailed_at IS NULL AND ${LIVE_TASK}
                ORDER BY n.created_at DESC LIMIT 50) i) AS items
       FROM users u
      WHERE u.email_notifications = 'daily'
        AND EXISTS (SELECT 1 FROM notifications n
          WHERE n.user_id = u.id AND n.read_at IS NULL AND n.emailed_at IS NULL AND ${LIVE_TASK})
        AND NOT EXISTS (SELECT 1 FROM digest_deliveries d WHERE d.user_id = u.id AND d.day = $1::date)
      ORDER BY u.id LIMIT 1000`,
    [day],
  );
  return rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name, items: r.items }));
}

/** Records a user's digest of `day`; false when one was recorded already (another replica, a re-run). */
export async function recordDigest(
  db: Queryable,
  userId: string,
  day: string,
  items: number,
): Promise<boolean> {
  const rows = await rowsOf(
    db,
    `INSERT INTO digest_deliveries (user_id, day, items) VALUES ($1, $2::date, $3)
      ON CONFLICT DO NOTHING RETURNING user_id`,
    [userId, day, items],
  );
  return rows.length > 0;
}
