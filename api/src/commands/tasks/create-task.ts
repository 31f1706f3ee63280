import { Task, TaskLabel, type Project } from '@taskstack/db';
import { QueryTypes } from 'sequelize';
import type { AppContext } from '../../context.js';
import type { EventPublisher } from '../../events/publisher.js';
import { presentTask, type TaskOutput } from '../../presenters/task.js';
import type { CreateTaskInput } from '../../routes/tasks/schema.js';
import { recordActivity } from '../activity.js';
import { afterCommit } from '../side-effects.js';
import { notifyAssignee } from './notify-assignee.js';
import { endOfColumn } from './positions.js';
import { checkAssignee, checkLabels } from './references.js';

/** Creates a task at the end of its column with the project's next number, then announces it. */
export async function createTask(
  ctx: AppContext,
  events: EventPublisher,
  project: Project,
  actorId: string,
  input: CreateTaskInput,
): Promise<TaskOutput> {
  const { labelIds = [], ...fields } = input;
  const status = fields.status ?? 'todo';
  const { task, activityId } = await ctx.sequelize.transaction(async (transaction) => {
    await checkAssignee(project.workspaceId, fields.assigneeId, transaction);
    await checkLabels(project.workspaceId, labelIds, transaction);
    // The counter update takes the project's row lock, which also serialises position picking.
    const [counter] = await ctx.sequelize.query<{ task_counter: number }>(
      'UPDATE projects SET task_counter = task_counter + 1 WHERE id = :id RETURNING task_counter',
      { replacements: { id: project.id }, type: QueryTypes.SELECT, transaction },
    );
    const position = await endOfColumn(
      { sequelize: ctx.sequelize, projectId: project.id, status },
      transaction,
    );
    const task = await Task.create(
      {
        ...fields,
        status,
        workspaceId: project.workspaceId,
        projectId: project.id,
        number: counter!.task_counter,
        position,
        createdById: actorId,
      },
      { transaction },
    );
    if (labelIds.length) {
      await TaskLabel.bulkCreate(
        labelIds.map((labelId) => ({ taskId: task.id, labelId })),
        { transaction },
      );
    }
    const activity = await recordActivity(
      {
        workspaceId: project.workspaceId,
        projectId: project.id,
        actorId,
        verb: 'task.created',
        subjectType: 'task',
        subjectId: task.id,
        data: { number: task.number, title: task.title, status },
      },
      transaction,
    );
    return { task, activityId: activity.id };
  });
  const output = presentTask(task, [...labelIds].sort());
  await afterCommit(
    ctx,
    events,
    [
      {
        workspaceId: project.workspaceId,
        type: 'task.created',
        data: { projectId: project.id, task: output },
      },
    ],
    [() => notifyAssignee(ctx, task, project.name, actorId, activityId)],
  );
  return output;
}
