import type { Role } from '../models/base.js';
import { raw, run, sql, type Queryable } from '../sql.js';
import type { Access, TaskRef } from './access.js';
import type { Progress } from './task-rows.js';
import { TOTP_MISSING_SQL } from './totp.js';

/** The checklist of a task: ordered items, each with a fractional `position` like a card in a column. */

export type ChecklistItemRecord = {
  id: string;
  taskId: string;
  text: string;
  done: boolean;
  position: string;
  assigneeId: string | null;
  dueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

const COLUMNS = (c: string) =>
  ['id', 'task_id', 'text', 'done', 'position', 'assignee_id', 'due_at', 'created_at', 'updated_at']
    .map((column) => `${c}.${column}`)
    .join(', ');

function itemFromRow(row: Record<string, unknown>): ChecklistItemRecord {
  return {
    id: row.id as string,
    taskId: row.task_id as string,
    text: row.text as string,
    done: row.done as boolean,
    position: row.position as string,
    assigneeId: row.assignee_id as string | null,
    dueAt: row.due_at as Date | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

/** An item with its task and the caller's role in the task's workspace, in one statement (404/403 decisions). */
export async function checklistItemAccess(
  db: Queryable,
  itemId: string,
  userId: string,
): Promise<(Access<TaskRef> & { item: ChecklistItemRecord }) | undefined> {
  const [row] = await run(
    db,
    sql`SELECT ${raw(COLUMNS('c'))}, t.project_id, t.workspace_id, t.number, m.role, ${raw(TOTP_MISSING_SQL)} FROM checklist_items c
      JOIN tasks t ON t.id = c.task_id
      LEFT JOIN memberships m ON m.workspace_id = t.workspace_id AND m.user_id = ${userId}
      WHERE c.id = ${itemId}`,
  );
  if (!row) return undefined;
  const ref = {
    id: row.task_id as string,
    projectId: row.project_id as string,
    workspaceId: row.workspace_id as string,
    number: row.number as number,
  };
  return {
    ref,
    role: row.role as Role | null,
    totpMissing: row.totp_missing as boolean,
    item: itemFromRow(row),
  };
}

/**
 * Takes the task's row lock for the rest of the transaction: every write to one checklist takes it first, so
 * positions stay unique and the list each write announces is the list as it committed. False: the task is gone.
 */
export async function lockChecklist(db: Queryable, taskId: string): Promise<boolean> {
  return (await run(db, sql`SELECT id FROM tasks WHERE id = ${taskId} FOR UPDATE`)).length > 0;
}

/** A task's checklist in order. */
export async function findChecklist(db: Queryable, taskId: string): Promise<ChecklistItemRecord[]> {
  const rows = await run(
    db,
    sql`SELECT ${raw(COLUMNS('c'))} FROM checklist_items c WHERE c.task_id = ${taskId}
      ORDER BY c.position, c.id`,
  );
  return rows.map(itemFromRow);
}

/** Done / total of a list as read. */
export const progressOf = (items: ChecklistItemRecord[]): Progress => ({
  done: items.filter((item) => item.done).length,
  total: items.length,
});

export type NewChecklistItem = {
  taskId: string;
  text: string;
  done?: boolean | undefined;
  position: string;
  assigneeId?: string | null | undefined;
  dueAt?: Date | null | undefined;
};

export async function insertChecklistItem(
  db: Queryable,
  item: NewChecklistItem,
): Promise<ChecklistItemRecord> {
  const [row] = await run(
    db,
    sql`INSERT INTO checklist_items (task_id, text, done, position, assignee_id, due_at)
      VALUES (${item.taskId}, ${item.text}, ${item.done ?? false}, ${item.position}, ${item.assigneeId ?? null},
        ${item.dueAt ?? null})
      RETURNING ${raw(COLUMNS('checklist_items'))}`,
  );
  return itemFromRow(row!);
}

const EDITABLE = {
  text: 'text',
  done: 'done',
  position: 'position',
  assigneeId: 'assignee_id',
  dueAt: 'due_at',
} as const;
export type ChecklistItemChanges = Partial<{
  -readonly [K in keyof typeof EDITABLE]: ChecklistItemRecord[K];
}>;

/** Writes the given fields (and `updated_at`); the item as it is now. */
export async function updateChecklistItem(
  db: Queryable,
  itemId: string,
  changes: ChecklistItemChanges,
): Promise<ChecklistItemRecord | undefined> {
  const set = Object.entries(changes)
    .filter(([, value]) => value !== undefined)
    .reduce(
      (all, [key, value]) => sql`${all}${raw(EDITABLE[key as keyof typeof EDITABLE])} = ${value}, `,
      sql``,
    );
  const [row] = await run(
    db,
    sql`UPDATE checklist_items SET ${set}updated_at = now() WHERE id = ${itemId}
      RETURNING ${raw(COLUMNS('checklist_items'))}`,
  );
  return row && itemFromRow(row);
}

export async function deleteChecklistItem(db: Queryable, itemId: string): Promise<boolean> {
  return (await run(db, sql`DELETE FROM checklist_items WHERE id = ${itemId} RETURNING id`)).length > 0;
}
