import { localDate, localTime, WEEKDAYS, type RecurrenceRule } from '@taskstack/db';
import {
  deleteSeries,
  findRecurringTasks,
  findSeriesOfTask,
  findTask,
  saveSeries,
  setWorkspaceTimeZone,
  workspaceTimeZone,
} from '@taskstack/db/repositories';
import { z } from 'zod';
import {
  projectParams,
  recurrenceRule,
  taskParams,
  timeZoneBody,
  workspaceParams,
} from '../../commands/recurrences/schema.js';
import type { AppContext } from '../../context.js';
import { conflict, notFound } from '../../errors.js';
import { projectAccessFor, taskAccessFor } from '../../policies/board.js';
import { workspaceAccessFor } from '../../policies/membership.js';
import {
  describeRule,
  presentRecurrence,
  recurrenceOutput,
  recurringTaskOutput,
} from '../../presenters/recurrence.js';
import { defineRoutes, type RouteGroup } from '../define.js';

const taskRecurrence = z.object({ recurrence: recurrenceOutput.nullable() }).openapi('TaskRecurrenceOf');

/**
 * Recurring tasks: a rule per task (viewers read it, members set or stop it). Completing the latest occurrence
 * creates the next (commands/recurrences/continue-series.ts); the workspace's time zone (admin+) says where
 * "Monday 09:00" is.
 */
export function recurrencesRoutes(ctx: AppContext): RouteGroup {
  const { routes, route } = defineRoutes(ctx);
  const tags = ['recurrences'];

  route(
    {
      method: 'get',
      path: '/tasks/:id/recurrence',
      summary: "A task's repeat rule with its summary, or null when it does not repeat (viewer+)",
      tags,
      request: { params: taskParams },
      responses: { 200: { description: 'The rule', schema: taskRecurrence } },
    },
    async ({ user, params }) => {
      await taskAccessFor(ctx.sql, user.id, params.id, 'viewer');
      const series = await findSeriesOfTask(ctx.sql, params.id);
      return { recurrence: series ? presentRecurrence(series) : null };
    },
  );

  route(
    {
      method: 'put',
      path: '/tasks/:id/recurrence',
      summary: 'Make a task repeat, or change its rule (member+); 409 for a subtask',
      description:
        'The task is the first occurrence, on its due date (else today) in the workspace time zone. ' +
        'Completing the latest occurrence creates the next one, due on the next date of the rule at `time`.',
      tags,
      request: { params: taskParams, body: recurrenceRule },
      responses: { 200: { description: 'The rule', schema: taskRecurrence } },
      transaction: true,
    },
    async ({ user, params, body, transaction }) => {
      const { task: ref } = await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      const db = ctx.sql.in(transaction);
      const found = await findTask(db, ref.id, { lock: true });
      if (!found) throw notFound('Task');
      if (found.task.parentId) throw conflict('Subtasks do not repeat; make their parent task repeat.');
      const zone = await workspaceTimeZone(db, ref.workspaceId);
      const anchor = found.task.dueAt ?? new Date();
      const startsOn = localDate(anchor, zone);
      const rule: RecurrenceRule = {
        ...body,
        time: body.time ?? (found.task.dueAt ? localTime(found.task.dueAt, zone) : '09:00'),
        ...(body.frequency === 'weekly' && !body.weekdays
          ? { weekdays: [WEEKDAYS[(new Date(`${startsOn}T00:00:00Z`).getUTCDay() + 6) % 7]!] }
          : {}),
      };
      const series = await saveSeries(db, {
        taskId: ref.id,
        workspaceId: ref.workspaceId,
        rule,
        startsOn,
        actorId: user.id,
      });
      return { recurrence: presentRecurrence(series) };
    },
  );

  route(
    {
      method: 'delete',
      path: '/tasks/:id/recurrence',
      summary: 'Stop a task repeating (member+): its occurrences stay, no next one is made',
      tags,
      request: { params: taskParams },
      responses: { 204: { description: 'Stopped (also when it did not repeat)' } },
    },
    async ({ user, params }) => {
      await taskAccessFor(ctx.sql, user.id, params.id, 'member');
      const series = await findSeriesOfTask(ctx.sql, params.id);
      if (series) await deleteSeries(ctx.sql, series.id);
    },
  );

  route(
    {
      method: 'get',
      path: '/projects/:id/recurring-tasks',
      summary: "Which of a project's tasks repeat, with each rule's summary (viewer+; the board's icons)",
      tags,
      request: { params: projectParams },
      responses: { 200: { description: 'Repeating tasks', schema: z.array(recurringTaskOutput) } },
    },
    async ({ user, params }) => {
      await projectAccessFor(ctx.sql, user.id, params.id, 'viewer');
      const rows = await findRecurringTasks(ctx.sql, params.id);
      return rows.map(({ taskId, rule }) => ({ taskId, summary: describeRule(rule) }));
    },
  );

  route(
    {
      method: 'get',
      path: '/workspaces/:id/time-zone',
      summary:
        "The workspace's time zone that repeat rules are read in; UTC until an admin sets one (viewer+)",
      tags,
      request: { params: workspaceParams },
      responses: { 200: { description: 'The time zone', schema: timeZoneBody } },
    },
    async ({ user, params }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'viewer');
      return { timeZone: await workspaceTimeZone(ctx.sql, params.id) };
    },
  );

  route(
    {
      method: 'put',
      path: '/workspaces/:id/time-zone',
      summary: "Set the workspace's time zone, an IANA name such as Europe/Berlin (admin+); rules follow it",
      tags,
      request: { params: workspaceParams, body: timeZoneBody },
      responses: { 200: { description: 'The time zone', schema: timeZoneBody } },
    },
    async ({ user, params, body }) => {
      await workspaceAccessFor(ctx.sql, user.id, params.id, 'admin');
      await setWorkspaceTimeZone(ctx.sql, params.id, body.timeZone);
      return { timeZone: body.timeZone };
    },
  );

  return routes;
}
