import type { Role } from '@taskstack/db';
import {
  trashedAccess,
  type Queryable,
  type TrashedAccess,
  type TrashKind,
} from '@taskstack/db/repositories';
import { conflict, forbidden } from '../errors.js';
import { checkRole, roleAtLeast } from './membership.js';

/** Who may delete each kind, hence restore it: members delete tasks, admins projects; comments as below. */
const RESTORE_MINIMUM: Record<TrashKind, Role> = { task: 'member', comment: 'member', project: 'admin' };

/**
 * A trashed item the caller may restore: whoever could have deleted it (a comment: its author or an admin+).
 * A foreign or unknown id, or one no longer in the trash, is a 404.
 */
export async function restorableFor(
  db: Queryable,
  userId: string,
  kind: TrashKind,
  id: string,
): Promise<TrashedAccess> {
  const found = await trashedAccess(db, kind, id, userId);
  checkRole(found, found?.workspaceId ?? '', RESTORE_MINIMUM[kind], 'Trashed item');
  if (kind === 'comment' && found!.authorId !== userId && !roleAtLeast(found!.role!, 'admin')) {
    throw forbidden('Only its author or an admin can restore a comment.');
  }
  return found!;
}

/** What holds a trashed item must be back first: restoring a task into a trashed project would leave it unseen. */
export function checkHolderLive(item: TrashedAccess): void {
  const holder = { project: 'its project', parent: 'its parent task', task: 'its task' } as const;
  if (item.heldBy) throw conflict(`Restore ${holder[item.heldBy]} first: it is in the trash too.`);
}

/** Purging is for good: admins and owners only. */
export async function purgeableFor(
  db: Queryable,
  userId: string,
  kind: TrashKind,
  id: string,
): Promise<TrashedAccess> {
  const found = await trashedAccess(db, kind, id, userId);
  checkRole(found, found?.workspaceId ?? '', 'admin', 'Trashed item');
  return found!;
}
