import type { Role } from '@taskstack/db';
import { checklistItemAccess, type Queryable } from '@taskstack/db/repositories';
import { checkRole } from './membership.js';

/** A checklist item the caller may act on with `minimum` role in its task's workspace: 404 or 403 otherwise. */
export async function checklistItemAccessFor(db: Queryable, userId: string, itemId: string, minimum: Role) {
  const found = await checklistItemAccess(db, itemId, userId);
  checkRole(found, found?.ref.workspaceId ?? '', minimum, 'Checklist item');
  return { task: found!.ref, item: found!.item };
}
