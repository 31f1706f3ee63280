import { ActivityEvent } from '@taskstack/db';
import type { Transaction } from 'sequelize';

export type ActivityInput = {
  workspaceId: string;
  projectId: string;
  actorId: string;
  verb: string;
  subjectType: 'task' | 'comment' | 'attachment';
  subjectId: string;
  data: Record<string, unknown>;
};

/** Records an activity event inside the mutation's transaction, so history and data never disagree. */
export function recordActivity(input: ActivityInput, transaction: Transaction): Promise<ActivityEvent> {
  return ActivityEvent.create(input, { transaction });
}
