import { Project, type TaskStatus } from '@taskstack/db';
import { generateKeyBetween } from 'fractional-indexing';
import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';

/**
 * Takes the project's row lock for the rest of the transaction. Every write that picks a position (create, move,
 * status change) takes it first, so two people moving cards at once are serialised and positions stay unique.
 */
export async function lockProject(projectId: string, transaction: Transaction): Promise<void> {
  await Project.findByPk(projectId, { attributes: ['id'], lock: transaction.LOCK.UPDATE, transaction });
}

type Column = { sequelize: Sequelize; projectId: string; status: TaskStatus; exclude?: string };

/** A key after the last task of the column (call with the project locked). */
export async function endOfColumn(
  { sequelize, projectId, status, exclude }: Column,
  transaction: Transaction,
): Promise<string> {
  const [last] = await sequelize.query<{ position: string }>(
    `SELECT position FROM tasks WHERE project_id = :projectId AND status = :status AND id <> :exclude
      ORDER BY position DESC LIMIT 1`,
    {
      replacements: { projectId, status, exclude: exclude ?? '00000000-0000-0000-0000-000000000000' },
      type: QueryTypes.SELECT,
      transaction,
    },
  );
  return generateKeyBetween(last?.position ?? null, null);
}
