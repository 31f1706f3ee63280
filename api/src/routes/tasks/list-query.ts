import { TASK_PRIORITIES, TASK_STATUSES } from '@taskstack/db';
import { QueryTypes, type Sequelize } from 'sequelize';
import { z } from 'zod';
import { decodeCursor, timestampPart, uuidPart } from '../../pagination.js';
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

const COLUMNS = `t.id, t.project_id, t.number, t.title, t.description, t.status, t.position, t.priority, t.due_at,
  t.assignee_id, t.created_by_id, t.created_at, t.updated_at,
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
 * One page (plus one row, to know whether there is more) of a project's tasks with their label ids, filtered and
 * sorted in SQL, in a single query.
 */
export async function findTasks(
  sequelize: Sequelize,
  projectId: string,
  query: ListTasksQuery,
): Promise<TaskRow[]> {
  const sort = SORTS[query.sort];
  const keys: Key[] = [...sort.keys, { expr: 't.id', type: 'uuid', part: uuidPart }];
  const where = ['t.project_id = :projectId'];
  const replacements: Record<string, unknown> = { projectId, limit: query.limit + 1 };
  if (query.status) {
    where.push('t.status = :status');
    replacements.status = query.status;
  }
  if (query.assigneeId) {
    where.push('t.assignee_id = :assigneeId');
    replacements.assigneeId = query.assigneeId;
  }
  if (query.labelId) {
    where.push('EXISTS (SELECT 1 FROM task_labels tl WHERE tl.task_id = t.id AND tl.label_id = :labelId)');
    replacements.labelId = query.labelId;
  }
  if (query.q) {
    const tsquery = prefixQuery(query.q);
    where.push(tsquery ? `t.search @@ to_tsquery('simple', :q)` : 'FALSE');
    replacements.q = tsquery;
  }
  if (query.dueBefore) {
    where.push('t.due_at < :dueBefore');
    replacements.dueBefore = query.dueBefore;
  }
  if (query.cursor) {
    const values = decodeCursor(
      query.cursor,
      keys.map((k) => k.part),
    );
    const comparison = sort.direction === 'ASC' ? '>' : '<';
    where.push(
      `(${keys.map((k) => k.expr).join(', ')}) ${comparison} (${keys
        .map((k, i) => `CAST(:c${i} AS ${k.type})${k.type === 'text' ? ' COLLATE "C"' : ''}`)
        .join(', ')})`,
    );
    values.forEach((value, i) => (replacements[`c${i}`] = value));
  }
  const keyColumns = keys.map((k, i) => `(${k.expr})::text AS k${i}`).join(', ');
  const rows = await sequelize.query<Record<string, unknown>>(
    `SELECT ${COLUMNS}, ${keyColumns} FROM tasks t WHERE ${where.join(' AND ')}
      ORDER BY ${keys.map((k) => `${k.expr} ${sort.direction}`).join(', ')} LIMIT :limit`,
    { replacements, type: QueryTypes.SELECT },
  );
  // Plain objects, not model instances: building fifty Sequelize instances costs more than the query.
  return rows.map((row) => ({
    task: {
      id: row.id as string,
      projectId: row.project_id as string,
      number: row.number as number,
      title: row.title as string,
      description: row.description as string,
      status: row.status as TaskRecord['status'],
      position: row.position as string,
      priority: row.priority as TaskRecord['priority'],
      dueAt: row.due_at as Date | null,
      assigneeId: row.assignee_id as string | null,
      createdById: row.created_by_id as string | null,
      createdAt: row.created_at as Date,
      updatedAt: row.updated_at as Date,
    },
    labelIds: row.label_ids as string[],
    cursorKey: keys.map((_, i) => row[`k${i}`] as string),
  }));
}
