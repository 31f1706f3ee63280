import {
  deleteChecklistItem,
  findChecklist,
  insertChecklistItem,
  lockChecklist,
  progressOf,
  updateChecklistItem,
  type ChecklistItemRecord,
  type Queryable,
  type TaskRef,
} from '@taskstack/db/repositories';
import { generateKeyBetween } from 'fractional-indexing';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import type { EventPublisher } from '@taskstack/queues';
import {
  presentChecklistItem,
  type ChecklistEvent,
  type ChecklistItemOutput,
} from '../../presenters/checklist.js';
import { afterCommit } from '../side-effects.js';
import { checkAssignee } from '../tasks/references.js';
import {
  MAX_CHECKLIST_ITEMS,
  type CreateChecklistItemInput,
  type MoveChecklistItemInput,
  type UpdateChecklistItemInput,
} from './schema.js';

/**
 * Every checklist write runs in the route's transaction with the task's row lock held (`lockChecklist`), then
 * announces the whole list as committed (`checklist.updated`): the panel replaces its items, the board its card's
 * progress, and no client has to merge per-item events that could arrive out of order.
 */

type Write = { ctx: AppContext; events: EventPublisher; transaction: Transaction };

async function locked(db: Queryable, taskId: string): Promise<ChecklistItemRecord[]> {
  if (!(await lockChecklist(db, taskId))) throw notFound('Task');
  return findChecklist(db, taskId);
}

async function announce({ ctx, events, transaction }: Write, ref: TaskRef, db: Queryable) {
  const items = await findChecklist(db, ref.id);
  const data: ChecklistEvent = {
    projectId: ref.projectId,
    taskId: ref.id,
    items: items.map(presentChecklistItem),
    progress: progressOf(items),
  };
  transaction.afterCommit(() =>
    afterCommit(ctx, events, [{ workspaceId: ref.workspaceId, type: 'checklist.updated', data }]),
  );
}

/** Appends an item to the end of the task's checklist; 409 once the list holds MAX_CHECKLIST_ITEMS. */
export async function createChecklistItem(
  write: Write,
  ref: TaskRef,
  input: CreateChecklistItemInput,
): Promise<ChecklistItemOutput> {
  const db = write.ctx.sql.in(write.transaction);
  await checkAssignee(db, ref.workspaceId, input.assigneeId);
  const items = await locked(db, ref.id);
  if (items.length >= MAX_CHECKLIST_ITEMS) {
    throw conflict(`A checklist holds at most ${MAX_CHECKLIST_ITEMS} items.`);
  }
  const position = generateKeyBetween(items.at(-1)?.position ?? null, null);
  const item = await insertChecklistItem(db, { ...input, taskId: ref.id, position });
  await announce(write, ref, db);
  return presentChecklistItem(item);
}

/** Edits an item's text, done flag, assignee or due date. */
export async function updateChecklistItemFields(
  write: Write,
  ref: TaskRef,
  itemId: string,
  input: UpdateChecklistItemInput,
): Promise<ChecklistItemOutput> {
  const db = write.ctx.sql.in(write.transaction);
  await checkAssignee(db, ref.workspaceId, input.assigneeId);
  await locked(db, ref.id);
  const item = await updateChecklistItem(db, itemId, input);
  if (!item) throw notFound('Checklist item');
  await announce(write, ref, db);
  return presentChecklistItem(item);
}

/** Puts an item at `index` among the others: one row written, a key between its new neighbours. */
export async function moveChecklistItem(
  write: Write,
  ref: TaskRef,
  itemId: string,
  { index }: MoveChecklistItemInput,
): Promise<ChecklistItemOutput> {
  const db = write.ctx.sql.in(write.transaction);
  const items = await locked(db, ref.id);
  const current = items.find((item) => item.id === itemId);
  if (!current) throw notFound('Checklist item');
  const others = items.filter((item) => item.id !== itemId);
  const at = Math.min(index, others.length);
  const position = generateKeyBetween(others[at - 1]?.position ?? null, others[at]?.position ?? null);
  const item = await updateChecklistItem(db, itemId, { position });
  await announce(write, ref, db);
  return presentChecklistItem(item!);
}

export async function removeChecklistItem(write: Write, ref: TaskRef, itemId: string): Promise<void> {
  const db = write.ctx.sql.in(write.transaction);
  await locked(db, ref.id);
  if (!(await deleteChecklistItem(db, itemId))) throw notFound('Checklist item');
  await announce(write, ref, db);
}

/** A task's checklist as presented. */
export async function readChecklist(ctx: AppContext, ref: TaskRef): Promise<ChecklistItemOutput[]> {
  return (await findChecklist(ctx.sql, ref.id)).map(presentChecklistItem);
}
