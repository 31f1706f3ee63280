import type { Role } from '@taskstack/db';
import {
  attachmentAccess,
  commentAccess,
  labelAccess,
  projectAccess,
  taskAccess,
  type ProjectRef,
  type Queryable,
  type TaskRef,
} from '@taskstack/db/repositories';
import { checkRole } from './membership.js';

export type { ProjectRef, TaskRef };

/**
 * The access loaders, one per thing: each finds the row with the caller's role in its workspace and decides, so a
 * foreign id is a 404 exactly like a missing one and a too-low role a 403.
 */
export async function projectAccessFor(
  db: Queryable,
  userId: string,
  projectId: string,
  minimum: Role,
): Promise<{ project: ProjectRef; role: Role }> {
  const found = await projectAccess(db, projectId, userId);
  checkRole(found, found?.ref.workspaceId ?? '', minimum, 'Project');
  return { project: found!.ref, role: found!.role! };
}

/** A task the caller may act on with `minimum` role; `what` names it in the 404 (a comment's task…). */
export async function taskAccessFor(
  db: Queryable,
  userId: string,
  taskId: string,
  minimum: Role,
  what = 'Task',
): Promise<{ task: TaskRef; role: Role }> {
  const found = await taskAccess(db, taskId, userId);
  checkRole(found, found?.ref.workspaceId ?? '', minimum, what);
  return { task: found!.ref, role: found!.role! };
}

/** A label the caller may act on with `minimum` role in its workspace. */
export async function labelAccessFor(db: Queryable, userId: string, labelId: string, minimum: Role) {
  const found = await labelAccess(db, labelId, userId);
  checkRole(found, found?.label.workspaceId ?? '', minimum, 'Label');
  return { label: found!.label, role: found!.role! };
}

/** A comment with its task; the author-or-admin rules are decided by the caller on the role. */
export async function commentAccessFor(db: Queryable, userId: string, commentId: string, minimum: Role) {
  const found = await commentAccess(db, commentId, userId);
  checkRole(found, found?.task.workspaceId ?? '', minimum, 'Comment');
  return { comment: found!.comment, task: found!.task, role: found!.role! };
}

/** An attachment with its task; called again on every download so a removed member loses access at once. */
export async function attachmentAccessFor(
  db: Queryable,
  userId: string,
  attachmentId: string,
  minimum: Role,
) {
  const found = await attachmentAccess(db, attachmentId, userId);
  checkRole(found, found?.task.workspaceId ?? '', minimum, 'Attachment');
  return { attachment: found!.attachment, task: found!.task, role: found!.role! };
}
