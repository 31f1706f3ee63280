import { Project, Task } from '@taskstack/db';
import type { AppContext } from '../../context.js';
import { notFound } from '../../errors.js';
import type { EventPublisher } from '../../events/publisher.js';
import { labelIdsOf, presentTask, type TaskOutput } from '../../presenters/task.js';
import type { UpdateTaskInput } from '../../routes/tasks/schema.js';
import { recordActivity } from '../activity.js';
import { afterCommit } from '../side-effects.js';
import { notifyAssignee } from './notify-assignee.js';
import { endOfColumn, lockProject } from './positions.js';
import { checkAssignee, checkLabels, replaceLabels } from './references.js';

type Change = { from: unknown; to: unknown };

const comparable = (value: unknown) => (value instanceof Date ? value.toISOString() : (value ?? null));

/**
 * Applies a partial update and records exactly what changed. A new status puts the task at the end of that
 * column; a new assignee (other than the actor) is emailed.
 */
export async function updateTask(
  ctx: AppContext,
  events: EventPublisher,
  loaded: Task,
  actorId: string,
  input: UpdateTaskInput,
): Promise<TaskOutput> {
  const { labelIds, ...fields } = input;
  const result = await ctx.sequelize.transaction(async (transaction) => {
    // Same lock order as moves (project, then task) so concurrent edits and moves cannot deadlock; a task
    // never changes project, so the copy loaded for authorization names the project to lock.
    if (fields.status) await lockProject(loaded.projectId, transaction);
    const task = await Task.findByPk(loaded.id, { lock: transaction.LOCK.UPDATE, transaction });
    if (!task) throw notFound('Task');
    await checkAssignee(task.workspaceId, fields.assigneeId, transaction);
    await checkLabels(task.workspaceId, labelIds, transaction);

    const changes: Record<string, Change> = {};
    for (const [key, value] of Object.entries(fields) as [keyof typeof fields, unknown][]) {
      const from = comparable(task.get(key));
      if (from !== comparable(value)) changes[key] = { from, to: comparable(value) };
    }
    if (changes.status) {
      task.position = await endOfColumn(
        { sequelize: ctx.sequelize, projectId: task.projectId, status: fields.status!, exclude: task.id },
        transaction,
      );
    }
    const current = (await labelIdsOf([task.id], transaction)).get(task.id)!;
    let labels = current;
    if (labelIds) {
      const next = [...labelIds].sort();
      if (next.join() !== current.join()) {
        await replaceLabels(task.id, current, next, transaction);
        changes.labelIds = { from: current, to: next };
        labels = next;
      }
    }
    if (Object.keys(changes).length === 0) return { task, labels, changes, activityId: null };
    task.set(fields);
    task.changed('updatedAt', true);
    await task.save({ transaction });
    const activity = await recordActivity(
      {
        workspaceId: task.workspaceId,
        projectId: task.projectId,
        actorId,
        verb: 'task.updated',
        subjectType: 'task',
        subjectId: task.id,
        data: { changes },
      },
      transaction,
    );
    return { task, labels, changes, activityId: activity.id };
  });

  const { task, labels, changes, activityId } = result;
  const output = presentTask(task, labels);
  if (!activityId) return output;
  const notify = async () => {
    if (!changes.assigneeId) return;
    const project = await Project.findByPk(task.projectId, { attributes: ['name'] });
    await notifyAssignee(ctx, task, project?.name ?? 'Project', actorId, activityId);
  };
  await afterCommit(
    ctx,
    events,
    [
      {
        workspaceId: task.workspaceId,
        type: 'task.updated',
        data: { projectId: task.projectId, task: output, changes: Object.keys(changes) },
      },
    ],
    [notify],
  );
  return output;
}
