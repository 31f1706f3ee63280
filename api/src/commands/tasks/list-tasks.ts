import { findTask, findTasks, taskCursor, type TaskRef, type TaskScope } from '@taskstack/db/repositories';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import { decodeCursor, toPage } from '../../pagination.js';
import { presentTask, type TaskOutput } from '../../presenters/task.js';
import type { ListTasksQuery, MyTasksQuery } from './schema.js';

/**
 * One page of a project's tasks, or of the tasks assigned to someone across a workspace, filtered and sorted; a
 * forged or stale cursor is a 400.
 */
export async function listTasks(ctx: AppContext, scope: TaskScope, query: ListTasksQuery | MyTasksQuery) {
  const { cursor, ...filter } = query;
  const keys = cursor ? decodeCursor(cursor, taskCursor(query.sort)) : undefined;
  const rows = await findTasks(ctx.sql, scope, filter, keys);
  return toPage(
    rows,
    query.limit,
    (row) => row.cursorKey,
    (row) => presentTask(row.task, row.labelIds),
  );
}

/** A task with its labels, as presented. */
export async function readTask(ctx: AppContext, ref: TaskRef): Promise<TaskOutput> {
  const found = await findTask(ctx.sql, ref.id);
  if (!found) throw notFound('Task');
  return presentTask(found.task, found.labelIds);
}
