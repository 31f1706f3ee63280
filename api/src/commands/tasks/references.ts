import { Label, Membership, TaskLabel } from '@taskstack/db';
import { Op, type Transaction } from 'sequelize';
import { badRequest } from '../../errors.js';

const invalid = (path: string, message: string) =>
  badRequest('Invalid body.', { errors: [{ path, message }] });

/** An assignee must belong to the task's workspace; otherwise the id is refused like any invalid field. */
export async function checkAssignee(
  workspaceId: string,
  assigneeId: string | null | undefined,
  transaction?: Transaction,
): Promise<void> {
  if (!assigneeId) return;
  const membership = await Membership.findOne({ where: { workspaceId, userId: assigneeId }, transaction });
  if (!membership) throw invalid('assigneeId', 'is not a member of this workspace');
}

/** Every label must be one of the workspace's, so a task never points across tenants. */
export async function checkLabels(
  workspaceId: string,
  labelIds: string[] | undefined,
  transaction?: Transaction,
): Promise<void> {
  if (!labelIds?.length) return;
  const found = await Label.count({ where: { workspaceId, id: labelIds }, transaction });
  if (found !== labelIds.length) throw invalid('labelIds', 'contains a label that is not in this workspace');
}

/** Makes the task's labels exactly `labelIds`, touching only the rows that change. */
export async function replaceLabels(
  taskId: string,
  current: string[],
  labelIds: string[],
  transaction: Transaction,
): Promise<void> {
  const removed = current.filter((id) => !labelIds.includes(id));
  const added = labelIds.filter((id) => !current.includes(id));
  if (removed.length) {
    await TaskLabel.destroy({ where: { taskId, labelId: { [Op.in]: removed } }, transaction });
  }
  if (added.length) {
    await TaskLabel.bulkCreate(
      added.map((labelId) => ({ taskId, labelId })),
      { transaction },
    );
  }
}
