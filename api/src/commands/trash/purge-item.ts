import { purgeTrashedItem, type TrashedAccess } from '@taskstack/db/repositories';
import type { Transaction } from 'sequelize';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';

/**
 * Purges a trashed item for good inside the route's transaction; its attachments' files go once the rows are
 * committed (a rollback must not leave rows whose files are gone).
 */
export async function purgeItem(
  ctx: AppContext,
  removeFiles: (keys: string[]) => Promise<void>,
  item: TrashedAccess,
  transaction: Transaction,
): Promise<void> {
  const keys = await purgeTrashedItem(ctx.sql.in(transaction), item.kind, item.id);
  if (!keys) throw notFound('Trashed item');
  transaction.afterCommit(() => removeFiles(keys));
}
