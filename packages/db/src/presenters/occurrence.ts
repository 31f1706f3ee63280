import type { SpawnResult } from '../repositories/recurrences.js';
import { presentTask } from './task.js';

/**
 * The `task.created` event announcing a series' new occurrence, alike whether the API made it right after a
 * completion or the worker's catch-up job did: open boards add the card and reload their repeat icons.
 */
export function occurrenceCreatedEvent(created: Extract<SpawnResult, { kind: 'created' }>) {
  const { task, labelIds } = created.task;
  return {
    workspaceId: created.workspaceId,
    type: 'task.created' as const,
    data: {
      projectId: task.projectId,
      task: presentTask(task, labelIds),
      recurrence: { occurrenceDate: created.occurrenceDate },
    },
  };
}
