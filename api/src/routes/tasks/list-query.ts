import { TASK_PRIORITIES, TASK_STATUSES } from '@taskstack/db';
import type { Sequelize } from 'sequelize';
import { z } from 'zod';
import { decodeCursor, timestampPart, uuidPart } from '../../pagination.js';
import { query as rawQuery } from '../../lib/raw-sql.js';
import { TASK_COLUMNS, taskFromRow } from '../../presenters/task-row.js';
import type { TaskRecord } from '../../presenters/task.js';
import type { ListTasksQuery } from './schema.js';

type Key = { expr: string; type: string; part: z.ZodType<string> };

/** Each sort is a keyset: expressions ordered one way, ending with the id, so pages never skip or repeat rows. */
const SORTS: Record<ListTasksQuery['sort'], { keys: Key[]; direction: 'ASC' | 'DESC' }> = {
  position: {
    keys: [
      { expr: 't.status', type: 'task_status', part: z.enum(TASK_STATUSES) },
      { expr: 't.position', type: 'text', part: z.string().max(200) },
    ],
    direction: 'ASC',
  },
  dueAt: {
    keys: [{ expr: `COALESCE(t.due_at, 'infinity'::timestamptz)`, type: 'timestamptz', part: timestampPart }],
    direction: 'ASC',
  },
  createdAt: {
    keys: [{ expr: 't.created_at', type: 'timestamptz', part: timestampPart }],
    direction: 'DESC',
  },
  priority: {
    keys: [{ expr: 't.priority', type: 'task_priority', part: z.enum(TASK_PRIORITIES) }],
    direction: 'DESC',
  },
};

/** The keyset of a sort: its expressions, then the id. */
const keysOf = (sort: ListTasksQuery['sort']): Key[] => [
  ...SORTS[sort].keys,
  { expr: 't.id', type: 'uuid', part: uuidPart },
];

const COLUMNS = `${TASK_COLUMNS('t')},
  (SELECT COALESCE(json_agg(tl.label_id ORDER BY tl.label_id), '[]') FROM task_labels tl WHERE tl.task_id = t.id)
    AS label_ids`;

/**
 * Every word of the search as a prefix, all required: typing "deplo" finds "deployment". Only letters and digits
 * reach to_tsquery, so no input can be a tsquery syntax error; a search without any matches nothing.
 */
export function prefixQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length ? words.map((word) => `${word}:*`).join(' & ') : null;
}

export type TaskRow = { task: TaskRecord; labelIds: string[]; cursorKey: string[] };

/**
 * The statement of one page (plus one row, to know whether there is more) of a project's tasks with their label
 * ids, filtered and sorted in SQL, after the (decoded, checked) cursor; bind parameters `$n`. Shared with the
 * benchmark's bare server.
 */
export function listTasksSql(
  projectId: string,
  query: Omit<ListTasksQuery, 'cursor'>,
  cursor: string[] | undefined,
): { text: string; values: unknown[] } {
  const sort = SORTS[query.sort];
  const keys = keysOf(query.sort);
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where = [`t.project_id = ${param(projectId)}`];
  if (query.status) where.push(`t.status = ${param(query.status)}`);
  if (query.assigneeId) where.push(`t.assignee_id = ${param(query.assigneeId)}`);
  if (query.labelId) {
    where.push(
      `EXISTS (SELECT 1 FROM task_labels tl WHERE tl.task_id = t.id AND tl.label_id = ${param(query.labelId)})`,
    );
  }
  if (query.q) {
    const tsquery = prefixQuery(query.q);
    where.push(tsquery ? `t.search @@ to_tsquery('simple', ${param(tsquery)})` : 'FALSE');
  }
  if (query.dueBefore) where.push(`t.due_at < ${param(query.dueBefore)}`);
  if (cursor) {
    const comparison = sort.direction === 'ASC' ? '>' : '<';
    where.push(
      `(${keys.map((k) => k.expr).join(', ')}) ${comparison} (${keys
        .map((k, i) => `CAST(${param(cursor[i])} AS ${k.type})${k.type === 'text' ? ' COLLATE "C"' : ''}`)
        .join(', ')})`,
    );
  }
  const keyColumns = keys.map((k, i) => `(${k.expr})::text AS k${i}`).join(', ');
  const text = `SELECT ${COLUMNS}, ${keyColumns} FROM tasks t WHERE ${where.join(' AND ')}
      ORDER BY ${keys.map((k) => `${k.expr} ${sort.direction}`).join(', ')} LIMIT ${param(query.limit + 1)}`;
  return { text, values };
}

/** Runs `listTasksSql`: the page's rows as plain task records with their label ids and cursor keys. */
export async function findTasks(
  sequelize: Sequelize,
  projectId: string,
  query: ListTasksQuery,
): Promise<TaskRow[]> {
  const cursor = query.cursor
    ? decodeCursor(
        query.cursor,
        keysOf(query.sort).map((k) => k.part),
      )
    : undefined;
  const { text, values } = listTasksSql(projectId, query, cursor);
  const rows = await rawQuery(sequelize, text, values);
  const width = SORTS[query.sort].keys.length + 1;
  return rows.map((row) => ({
    task: taskFromRow(row),
    labelIds: row.label_ids as string[],
    cursorKey: Array.from({ length: width }, (_, i) => row[`k${i}`] as string),
  }));
}
