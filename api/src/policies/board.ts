import { Attachment, Comment, Label, Project, Task, type Membership, type Role } from '@taskstack/db';
import type { Sequelize, Transaction } from 'sequelize';
import { notFound } from '../errors.js';
import { query } from '../lib/raw-sql.js';
import { PROJECT_ACCESS_SQL, TASK_ACCESS_SQL } from './access-sql.js';
import { authorize, checkRole } from './membership.js';

type Options = { transaction?: Transaction };

/**
 * Resource loaders: each finds the row, resolves its workspace and goes through `authorize`, so a foreign id is
 * a 404 exactly like a missing one and a too-low role a 403.
 */
export async function loadProjectFor(
  userId: string,
  projectId: string,
  minimum: Role,
  { transaction }: Options = {},
): Promise<{ project: Project; membership: Membership }> {
  const project = await Project.findByPk(projectId, { transaction });
  if (!project) throw notFound('Project');
  const membership = await authorize(userId, project.workspaceId, minimum, 'Project', transaction);
  return { project, membership };
}

/** Loads a label the caller may act on with `minimum` role. */
export async function loadLabelFor(userId: string, labelId: string, minimum: Role): Promise<Label> {
  const label = await Label.findByPk(labelId);
  if (!label) throw notFound('Label');
  await authorize(userId, label.workspaceId, minimum, 'Label');
  return label;
}

/** Loads a task the caller may act on with `minimum` role. */
export async function loadTaskFor(
  userId: string,
  taskId: string,
  minimum: Role,
  { transaction }: Options = {},
): Promise<{ task: Task; membership: Membership }> {
  const task = await Task.findByPk(taskId, { transaction });
  if (!task) throw notFound('Task');
  const membership = await authorize(userId, task.workspaceId, minimum, 'Task', transaction);
  return { task, membership };
}

/** Loads a comment with its task; the author-or-admin rules are decided by the caller on the membership. */
export async function loadCommentFor(
  userId: string,
  commentId: string,
  minimum: Role,
): Promise<{ comment: Comment; task: Task; membership: Membership }> {
  const comment = await Comment.findByPk(commentId);
  const task = comment && (await Task.findByPk(comment.taskId));
  if (!comment || !task) throw notFound('Comment');
  const membership = await authorize(userId, task.workspaceId, minimum, 'Comment');
  return { comment, task, membership };
}

/** Loads an attachment with its task; called again on every download so a removed member loses access at once. */
export async function loadAttachmentFor(
  userId: string,
  attachmentId: string,
  minimum: Role,
): Promise<{ attachment: Attachment; task: Task }> {
  const attachment = await Attachment.findByPk(attachmentId);
  const task = attachment && (await Task.findByPk(attachment.taskId));
  if (!attachment || !task) throw notFound('Attachment');
  await authorize(userId, task.workspaceId, minimum, 'Attachment');
  return { attachment, task };
}

export type ProjectRef = { id: string; workspaceId: string; name: string };
export type TaskRef = { id: string; projectId: string; workspaceId: string };

/** One access query (the row with the caller's role there) and `authorize`'s decision on it. */
async function accessRow<R extends object>(
  sequelize: Sequelize,
  sql: string,
  what: string,
  id: string,
  userId: string,
  minimum: Role,
): Promise<R> {
  const [row] = await query<R & { role: Role | null }>(sequelize, sql, [id, userId]);
  if (!row) throw notFound(what);
  checkRole(row.role, minimum, what);
  return row;
}

/** `loadProjectFor` in one round trip and without a model instance: the same 404/403 decisions. */
export async function projectAccessFor(
  sequelize: Sequelize,
  userId: string,
  projectId: string,
  minimum: Role,
): Promise<ProjectRef> {
  const row = await accessRow<{ id: string; workspace_id: string; name: string }>(
    sequelize,
    PROJECT_ACCESS_SQL,
    'Project',
    projectId,
    userId,
    minimum,
  );
  return { id: row.id, workspaceId: row.workspace_id, name: row.name };
}

/** `loadTaskFor` in one round trip, for routes that need only where the task lives. */
export async function taskAccessFor(
  sequelize: Sequelize,
  userId: string,
  taskId: string,
  minimum: Role,
): Promise<TaskRef> {
  const row = await accessRow<{ id: string; project_id: string; workspace_id: string }>(
    sequelize,
    TASK_ACCESS_SQL,
    'Task',
    taskId,
    userId,
    minimum,
  );
  return { id: row.id, projectId: row.project_id, workspaceId: row.workspace_id };
}
