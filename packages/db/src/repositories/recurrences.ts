import { generateKeyBetween } from 'fractional-indexing';
import { dueInstant, localDate, nextOccurrenceDate, type RecurrenceRule } from '../recurrence/rule.js';
import { rowsOf, run, type Queryable } from '../sql.js';
import { columnEnd, nextTaskNumber } from './projects.js';
import { createTaskCommit, findTask, type TaskWithLabels } from './task-writes.js';

/** A task's repeat rule: the series it is an occurrence of. */
export type SeriesRecord = {
  id: string;
  workspaceId: string;
  rule: RecurrenceRule;
  startsOn: string;
  made: number;
  finishedAt: Date | null;
  timeZone: string;
  createdById: string | null;
};

const COLUMNS = `r.id, r.workspace_id, r.rule, r.starts_on::text AS starts_on, r.made, r.finished_at,
  r.created_by_id, COALESCE(z.time_zone, 'UTC') AS time_zone`;
/** A workspace without a row in workspace_time_zones reads its rules in UTC. */
const ZONE = `LEFT JOIN workspace_time_zones z ON z.workspace_id = r.workspace_id`;

const seriesFromRow = (row: Record<string, unknown>): SeriesRecord => ({
  id: row.id as string,
  workspaceId: row.workspace_id as string,
  rule: row.rule as RecurrenceRule,
  startsOn: row.starts_on as string,
  made: row.made as number,
  finishedAt: row.finished_at as Date | null,
  timeZone: row.time_zone as string,
  createdById: row.created_by_id as string | null,
});

/** The series `taskId` is an occurrence of, if any. */
export async function findSeriesOfTask(db: Queryable, taskId: string): Promise<SeriesRecord | undefined> {
  const [row] = await rowsOf(
    db,
    `SELECT ${COLUMNS} FROM recurrence_occurrences o JOIN task_recurrences r ON r.id = o.series_id ${ZONE}
      WHERE o.task_id = $1`,
    [taskId],
  );
  return row && seriesFromRow(row);
}

/** Which of a project's tasks belong to a series, with its rule (the board's repeat icons). */
export async function findRecurringTasks(db: Queryable, projectId: string) {
  const rows = await rowsOf<{ task_id: string; rule: RecurrenceRule }>(
    db,
    `SELECT o.task_id, r.rule FROM tasks t JOIN recurrence_occurrences o ON o.task_id = t.id
       JOIN task_recurrences r ON r.id = o.series_id WHERE t.project_id = $1 ORDER BY t.number`,
    [projectId],
  );
  return rows.map((row) => ({ taskId: row.task_id, rule: row.rule }));
}

/** The workspace's time zone (IANA name) that rules are read in: UTC until an admin sets one. */
export async function workspaceTimeZone(db: Queryable, workspaceId: string): Promise<string> {
  const [row] = await rowsOf<{ time_zone: string }>(
    db,
    `SELECT time_zone FROM workspace_time_zones WHERE workspace_id = $1`,
    [workspaceId],
  );
  return row?.time_zone ?? 'UTC';
}

export async function setWorkspaceTimeZone(db: Queryable, workspaceId: string, timeZone: string) {
  await db.query(
    `INSERT INTO workspace_time_zones (workspace_id, time_zone) VALUES ($1, $2)
     ON CONFLICT (workspace_id) DO UPDATE SET time_zone = EXCLUDED.time_zone, updated_at = now()`,
    [workspaceId, timeZone],
  );
}

/**
 * Makes `taskId` repeat by `rule`: a task already in a series changes that series' rule (and reopens it if it
 * had run out); any other task starts a series of which it is the first occurrence, on `startsOn`.
 */
export async function saveSeries(
  db: Queryable,
  input: { taskId: string; workspaceId: string; rule: RecurrenceRule; startsOn: string; actorId: string },
): Promise<SeriesRecord> {
  const current = await findSeriesOfTask(db, input.taskId);
  if (current) {
    await db.query(
      `UPDATE task_recurrences SET rule = $2, finished_at = NULL, updated_at = now() WHERE id = $1`,
      [current.id, JSON.stringify(input.rule)],
    );
  } else {
    await db.query(
      `WITH r AS (INSERT INTO task_recurrences (workspace_id, rule, starts_on, created_by_id)
          VALUES ($1, $2, $3, $4) RETURNING id)
       INSERT INTO recurrence_occurrences (series_id, occurrence_date, task_id) SELECT id, $3, $5 FROM r`,
      [input.workspaceId, JSON.stringify(input.rule), input.startsOn, input.actorId, input.taskId],
    );
  }
  return (await findSeriesOfTask(db, input.taskId))!;
}

/** Stops a series: its tasks stay, none follows. */
export async function deleteSeries(db: Queryable, seriesId: string): Promise<void> {
  await db.query(`DELETE FROM task_recurrences WHERE id = $1`, [seriesId]);
}

export type SpawnResult =
  | { kind: 'created'; workspaceId: string; occurrenceDate: string; task: TaskWithLabels }
  | { kind: 'waiting' | 'finished' | 'taken' };

/**
 * Creates the occurrence that follows a series' latest one, once that one is done; run inside a transaction
 * (`now` decides what "today" is in the workspace's zone). The series row lock makes concurrent callers take
 * turns; the keys on (series, date) and (series, follows) with ON CONFLICT DO NOTHING make a second attempt
 * create nothing even without it. The copy keeps title, description, priority, labels, the assignee (if still
 * a member) and the checklist with every item undone; it lands in `todo`, due on the new date at the rule's time.
 */
export async function spawnNextOccurrence(db: Queryable, seriesId: string, now: Date): Promise<SpawnResult> {
  const [seriesRow] = await rowsOf(
    db,
    `SELECT ${COLUMNS} FROM task_recurrences r ${ZONE}
      WHERE r.id = $1 AND r.finished_at IS NULL FOR UPDATE OF r`,
    [seriesId],
  );
  if (!seriesRow) return { kind: 'finished' };
  const series = seriesFromRow(seriesRow);
  const [latest] = await rowsOf<{ occurrence_date: string; task_id: string | null }>(
    db,
    `SELECT occurrence_date::text, task_id FROM recurrence_occurrences WHERE series_id = $1
      ORDER BY occurrence_date DESC LIMIT 1`,
    [seriesId],
  );
  // A latest occurrence whose task was deleted for good (task_id set null) ends the series; one in the trash
  // (invisible to findTask) only pauses it, since restoring the task brings it back.
  if (!latest?.task_id) return finish(db, seriesId);
  const template = await findTask(db, latest.task_id);
  if (!template) return { kind: 'waiting' };
  if (template.task.status !== 'done') return { kind: 'waiting' };
  const { rule } = series;
  const date =
    rule.count !== undefined && series.made >= rule.count
      ? null
      : nextOccurrenceDate(rule, series.startsOn, latest.occurrence_date, localDate(now, series.timeZone));
  if (!date) return finish(db, seriesId);
  const claimed = await rowsOf(
    db,
    `INSERT INTO recurrence_occurrences (series_id, occurrence_date, follows_date) VALUES ($1, $2, $3)
      ON CONFLICT DO NOTHING RETURNING occurrence_date`,
    [seriesId, date, latest.occurrence_date],
  );
  if (claimed.length === 0) return { kind: 'taken' };

  const { task, labelIds } = template;
  const [counter] = await run<{ task_counter: number }>(db, nextTaskNumber(task.projectId));
  const [last] = await run<{ position: string }>(db, columnEnd(task.projectId, 'todo'));
  const [member] = await rowsOf(db, `SELECT 1 FROM memberships WHERE workspace_id = $1 AND user_id = $2`, [
    series.workspaceId,
    task.assigneeId,
  ]);
  const [created] = await run(
    db,
    createTaskCommit({
      workspaceId: series.workspaceId,
      projectId: task.projectId,
      number: counter!.task_counter,
      title: task.title,
      description: task.description,
      status: 'todo',
      position: generateKeyBetween(last?.position ?? null, null),
      priority: task.priority,
      dueAt: dueInstant(date, rule.time, series.timeZone),
      assigneeId: member ? task.assigneeId : null,
      labelIds,
      // Whoever set the rule; both may be gone (ON DELETE SET NULL), and the columns take NULL then.
      createdById: (series.createdById ?? task.createdById) as string,
    })[0]!,
  );
  const taskId = created!.id as string;
  await db.query(
    `INSERT INTO checklist_items (task_id, text, done, position, assignee_id)
     SELECT $1, text, false, position, assignee_id FROM checklist_items WHERE task_id = $2`,
    [taskId, task.id],
  );
  await db.query(
    `UPDATE recurrence_occurrences SET task_id = $3 WHERE series_id = $1 AND occurrence_date = $2`,
    [seriesId, date, taskId],
  );
  await db.query(`UPDATE task_recurrences SET made = made + 1, updated_at = now() WHERE id = $1`, [seriesId]);
  return {
    kind: 'created',
    workspaceId: series.workspaceId,
    occurrenceDate: date,
    task: (await findTask(db, taskId))!,
  };
}

async function finish(db: Queryable, seriesId: string): Promise<SpawnResult> {
  await db.query(`UPDATE task_recurrences SET finished_at = now() WHERE id = $1`, [seriesId]);
  return { kind: 'finished' };
}

/**
 * The series the catch-up job continues: running, and whose latest occurrence is done (its completion's own
 * attempt failed or never ran, e.g. the API stopped between commit and follow-up). Oldest first, at most `limit`.
 */
export async function seriesAwaitingNext(db: Queryable, limit: number): Promise<string[]> {
  const rows = await rowsOf<{ id: string }>(
    db,
    `SELECT r.id FROM task_recurrences r
       CROSS JOIN LATERAL (SELECT o.task_id FROM recurrence_occurrences o WHERE o.series_id = r.id
         ORDER BY o.occurrence_date DESC LIMIT 1) latest
       JOIN tasks t ON t.id = latest.task_id
      WHERE r.finished_at IS NULL AND t.status = 'done'
      ORDER BY r.created_at, r.id LIMIT $1`,
    [limit],
  );
  return rows.map((row) => row.id);
}
