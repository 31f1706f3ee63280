import { findVisibleSavedView, type Queryable, type SavedViewRecord } from '@taskstack/db/repositories';
import type { Role } from '@taskstack/db';
import { forbidden, notFound } from '../errors.js';
import { projectAccessFor } from './board.js';
import { roleAtLeast } from './membership.js';

/**
 * A saved view the caller may see: their own or a shared one, in a project they can still reach (someone who left
 * the workspace sees none of their old views). Another's personal view is a 404, like anything not theirs to see.
 */
export async function savedViewFor(db: Queryable, userId: string, viewId: string) {
  const view = await findVisibleSavedView(db, viewId, userId);
  if (!view) throw notFound('View');
  const { role } = await projectAccessFor(db, userId, view.projectId, 'viewer');
  return { view, role };
}

/** Changing a view is its owner's; a shared one also its project's admins'. Sharing needs member+. */
export function checkViewChange(view: SavedViewRecord, userId: string, role: Role, sharing: boolean): void {
  if (view.ownerId !== userId && !roleAtLeast(role, 'admin')) {
    throw forbidden('Only whoever saved this view, or an admin, can change it.');
  }
  checkSharing(role, sharing);
}

/** Sharing a view puts it in front of everyone in the project: not for viewers. */
export function checkSharing(role: Role, sharing: boolean): void {
  if (sharing && !roleAtLeast(role, 'member')) throw forbidden('Viewers can keep views for themselves only.');
}
