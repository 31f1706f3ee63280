import { z } from 'zod';
import { TASK_PRIORITIES, TASK_STATUSES, type TaskStatus } from '../models/base.js';
import { rowsOf, type Queryable } from '../sql.js';
import { timestampPart, uuidPart } from './keyset.js';
import { LABEL_IDS, TASK_COLUMNS, taskFromRow, type TaskRecord } from './task-rows.js';

export const TASK_SORTS = ['position', 'dueAt', 'createdAt', 'priority'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export type TaskFilter = {
  status?: TaskStatus | undefined;
  assigneeId?: string | undefined;
  labelId?: string | undefined;
  q?: string | undefined;
  dueBefore?: string | undefined;
  /** With `dueBefore`, a due-date window (a calendar's visible days): due at or after this instant. */
  dueFrom?: string | undefined;
  sort: TaskSort;
  limit: number;
};

type Key = { expr: string; type: string; part: z.ZodType<string> };

/** Each sort is a keyset: expressions ordered one way, ending with the id, so pages never skip or repeat rows. */
const SORTS: Record<TaskSort, { keys: Key[]; direction: 'ASC' | 'DESC' }> = {
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

const keysOf = (sort: TaskSort): Key[] => [
  ...SORTS[sort].keys,
  { expr: 't.id', type: 'uuid', part: uuidPart },
];

function cursorOf(sort: TaskSort): z.ZodType<string[]> {
  const [first, ...rest] = keysOf(sort).map((k) => k.part);
  return z.tuple([first!, ...rest]);
}
const CURSORS: Record<TaskSort, z.ZodType<string[]>> = {
  position: cursorOf('position'),
  dueAt: cursorOf('dueAt'),
  createdAt: cursorOf('createdAt'),
  priority: cursorOf('priority'),
};

/** The schema of a cursor of `sort`, built once, so a forged or stale cursor is refused before any SQL. */
export const taskCursor = (sort: TaskSort) => CURSORS[sort];

/**
 * Every word of the search as a prefix, all required: typing "deplo" finds "deployment". Only letters and digits
 * reach to_tsquery, so no input can be a tsquery syntax error; a search without any matches nothing.
 */
export function prefixQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length ? words.map((word) => `${word}:*`).join(' & ') : null;
}

/** Whose tasks a list reads: one project's, or those assigned to one person across a workspace ("my tasks"). */
export type TaskScope = { projectId: string } | { workspaceId: string; assigneeId: string };

/**
 * The statement of one page (plus one row, to know whether there is more) of a project's tasks with their label
 * ids, filtered and sorted in SQL, after the (decoded, checked) cursor. Shared with the benchmark's bare server.
 */
export function listTasksSql(
  scope: TaskScope,
  filter: TaskFilter,
  cursor: string[] | undefined,
): { text: string; values: unknown[] } {
  const sort = SORTS[filter.sort];
  const keys = keysOf(filter.sort);
  const values: unknown[] = [];
  const param = (value: unknown) => `$${values.push(value)}`;
  const where =
    'projectId' in scope
      ? [`t.project_id = ${param(scope.projectId)}`]
      : [`t.workspace_id = ${param(scope.workspaceId)}`, `t.assignee_id = ${param(scope.assigneeId)}`];
  if (filter.status) where.push(`t.status = ${param(filter.status)}`);
  if (filter.assigneeId) where.push(`t.assignee_id = ${param(filter.assigneeId)}`);
  if (filter.labelId) {
    where.push(
      `EXISTS (SELECT 1 FROM task_labels tl WHERE tl.task_id = t.id AND tl.label_id = ${param(filter.labelId)})`,
    );
  }
  if (filter.q) {
    const tsquery = prefixQuery(filter.q);
    where.push(tsquery ? `t.search @@ to_tsquery('simple', ${param(tsquery)})` : 'FALSE');
  }
  if (filter.dueFrom) where.push(`t.due_at >= ${param(filter.dueFrom)}`);
  if (filter.dueBefore) where.push(`t.due_at < ${param(filter.dueBefore)}`);
  if (cursor) {
    const comparison = sort.direction === 'ASC' ? '>' : '<';
    where.push(
      `(${keys.map((k) => k.expr).join(', ')}) ${comparison} (${keys
        .map((k, i) => `CAST(${param(cursor[i])} AS ${k.type})${k.type === 'text' ? ' COLLATE "C"' : ''}`)
        .join(', ')})`,
    );
  }
  const keyColumns = keys.map((k, i) => `(${k.expr})::text AS k${i}`).join(', ');
  const text = `SELECT ${TASK_COLUMNS('t')}, ${LABEL_IDS('t')} AS label_ids, ${keyColumns} FROM tasks t
      WHERE ${where.join(' AND ')}
      ORDER BY ${keys.map((k) => `${k.expr} ${sort.direction}`).join(', ')} LIMIT ${param(filter.limit + 1)}`;
  return { text, values };
}

export type ListedTask = { task: TaskRecord; labelIds: string[]; cursorKey: string[] };

/** Runs `listTasksSql`: the page's rows with their label ids and cursor keys. */
export async function findTasks(
  db: Queryable,
  scope: TaskScope,
  filter: TaskFilter,
  cursor: string[] | undefined,
): Promise<ListedTask[]> {
  const { text, values } = listTasksSql(scope, filter, cursor);
  const width = SORTS[filter.sort].keys.length + 1;
  return (await rowsOf(db, text, values)).map((row) => ({
    task: taskFromRow(row),
    labelIds: row.label_ids as string[],
    cursorKey: Array.from({ length: width }, (_, i) => row[`k${i}`] as string),
  }));
}
