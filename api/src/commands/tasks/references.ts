import { countWorkspaceLabels, isMember, type Queryable } from '@taskstack/db/repositories';
import { badRequest } from '../../errors.js';

const invalid = (path: string, message: string) =>
  badRequest('Invalid body.', { errors: [{ path, message }] });

/** An assignee must belong to the task's workspace; otherwise the id is refused like any invalid field. */
export async function checkAssignee(
  db: Queryable,
  workspaceId: string,
  assigneeId: string | null | undefined,
): Promise<void> {
  if (assigneeId && !(await isMember(db, workspaceId, assigneeId))) {
    throw invalid('assigneeId', 'is not a member of this workspace');
  }
}

/** Every label must be one of the workspace's, so a task never points across tenants. */
export async function checkLabels(db: Queryable, workspaceId: string, labelIds: string[] | undefined) {
  if (labelIds?.length && (await countWorkspaceLabels(db, workspaceId, labelIds)) !== labelIds.length) {
    throw invalid('labelIds', 'contains a label that is not in this workspace');
  }
}
