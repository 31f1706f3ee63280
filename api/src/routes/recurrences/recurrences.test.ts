import { findSeriesOfTask, spawnNextOccurrence } from '@taskstack/db/repositories';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabel, buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { openEventStream } from '../../../test/sse-client.js';
import { startApi, type RunningApi } from '../../server.js';

let api: TestApi;
/** A second replica on the same database and Redis: completions on both race for real. */
let replica: RunningApi;
let owner: string;
let member: { token: string; user: { id: string } };
let viewer: string;
let outsider: string;
let workspace: { id: string };

beforeAll(async () => {
  api = await startTestApi();
  replica = await startApi(api.config, { port: 0 });
  const founder = await buildUser();
  workspace = await buildWorkspace(founder);
  owner = await tokenFor(api, founder);
  member = await buildMember(api, workspace, 'member');
  viewer = (await buildMember(api, workspace, 'viewer')).token;
  outsider = await tokenFor(api, await buildUser());
});
afterAll(async () => {
  await replica?.close();
  await api?.close();
});

const repeat = (token: string, taskId: string, rule: unknown) =>
  api.call('PUT', `/api/v1/tasks/${taskId}/recurrence`, { token, body: rule });
const complete = (taskId: string, base = api.url) =>
  fetch(`${base}/api/v1/tasks/${taskId}/move`, {
    method: 'POST',
    headers: { authorization: `Bearer ${member.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'done' }),
  });
/** A project's tasks, by due date. */
const tasksOf = async (projectId: string, token = viewer) =>
  (await api.call('GET', `/api/v1/projects/${projectId}/tasks?sort=dueAt&limit=100`, { token })).body
    .items as Array<{ id: string; status: string; dueAt: string | null }>;

describe('recurring tasks', () => {
  it('sets, shows and stops a weekly rule, summarised for people', async () => {
    const project = await buildProject(workspace);
    const task = await createTask(api, member.token, project, { dueAt: '2027-01-04T09:30:00.000Z' });
    const set = await repeat(member.token, task.id, { frequency: 'weekly', weekdays: ['we', 'mo'] });
    expect(set.status).toBe(200);
    expect(set.body.recurrence).toMatchObject({
      summary: 'Every week on Mon, Wed at 09:30',
      timeZone: 'UTC',
      made: 1,
      finished: false,
      rule: { frequency: 'weekly', interval: 1, weekdays: ['we', 'mo'], time: '09:30' },
    });
    const read = await api.call('GET', `/api/v1/tasks/${task.id}/recurrence`, { token: viewer });
    expect(read.body.recurrence.summary).toBe('Every week on Mon, Wed at 09:30');
    const board = await api.call('GET', `/api/v1/projects/${project.id}/recurring-tasks`, { token: viewer });
    expect(board.body).toEqual([{ taskId: task.id, summary: 'Every week on Mon, Wed at 09:30' }]);
    const monthly = await repeat(member.token, task.id, {
      frequency: 'monthly',
      interval: 2,
      nthWeekday: { nth: -1, weekday: 'fr' },
      count: 5,
    });
    expect(monthly.body.recurrence.summary).toBe('Every 2 months on the last Fri at 09:30, 5 times');
    expect(
      (await api.call('DELETE', `/api/v1/tasks/${task.id}/recurrence`, { token: member.token })).status,
    ).toBe(204);
    expect((await api.call('GET', `/api/v1/tasks/${task.id}/recurrence`, { token: viewer })).body).toEqual({
      recurrence: null,
    });
  });

  it('refuses bad rules and zones with problem+json naming each field, and strangers with 404', async () => {
    const project = await buildProject(workspace);
    const task = await createTask(api, member.token, project);
    const cases: Array<[unknown, string]> = [
      [{ frequency: 'hourly' }, 'frequency'],
      [{ frequency: 'daily', interval: 0 }, 'interval'],
      [{ frequency: 'daily', weekdays: ['mo'] }, 'weekdays'],
      [{ frequency: 'weekly', weekdays: ['mo', 'mo'] }, 'weekdays'],
      [{ frequency: 'monthly', monthDay: 0 }, 'monthDay'],
      [{ frequency: 'monthly', monthDay: 3, nthWeekday: { nth: 1, weekday: 'mo' } }, 'nthWeekday'],
      [{ frequency: 'monthly', nthWeekday: { nth: 5, weekday: 'mo' } }, 'nthWeekday.nth'],
      [{ frequency: 'daily', time: '24:00' }, 'time'],
      [{ frequency: 'daily', until: '2027-02-30' }, 'until'],
      [{ frequency: 'daily', until: '2027-02-01', count: 3 }, 'count'],
      [{ frequency: 'daily', every: 2 }, ''],
    ];
    for (const [rule, path] of cases) {
      const res = await repeat(member.token, task.id, rule);
      expect(res.status, JSON.stringify(rule)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      if (path) expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect((await repeat(viewer, task.id, { frequency: 'daily' })).status).toBe(403);
    expect((await repeat(outsider, task.id, { frequency: 'daily' })).status).toBe(404);
    const zone = (timeZone: string, token = owner) =>
      api.call('PUT', `/api/v1/workspaces/${workspace.id}/time-zone`, { token, body: { timeZone } });
    for (const bad of ['Mars/Olympus', '+03:00', 'UTC+3', ''])
      expect((await zone(bad)).status, bad).toBe(400);
    expect((await zone('Europe/Berlin', member.token)).status).toBe(403);
    const subtask = await api.call('POST', `/api/v1/tasks/${task.id}/subtasks`, {
      token: member.token,
      body: { title: 'Sub' },
    });
    expect((await repeat(member.token, subtask.body.id, { frequency: 'daily' })).status).toBe(409);
  });

  it('makes the next occurrence when one is done: a copy with its checklist undone, announced live', async () => {
    const project = await buildProject(workspace);
    const label = await buildLabel(workspace);
    const task = await createTask(api, member.token, project, {
      title: 'Water the plants',
      description: 'All of them',
      priority: 'high',
      dueAt: '2027-01-04T08:00:00.000Z',
      assigneeId: member.user.id,
      labelIds: [label.id],
    });
    for (const text of ['Ferns', 'Cacti']) {
      await api.call('POST', `/api/v1/tasks/${task.id}/checklist`, { token: member.token, body: { text } });
    }
    const [fern] = (await api.call('GET', `/api/v1/tasks/${task.id}/checklist`, { token: viewer })).body;
    await api.call('PATCH', `/api/v1/checklist-items/${fern.id}`, {
      token: member.token,
      body: { done: true },
    });
    await repeat(member.token, task.id, { frequency: 'weekly', weekdays: ['mo', 'th'] });
    const stream = await openEventStream(`${api.url}/api/v1/events?workspaceId=${workspace.id}`, {
      authorization: `Bearer ${viewer}`,
    });
    try {
      expect((await complete(task.id)).status).toBe(200);
      const created = await stream.next((e) => e.event === 'task.created');
      const next = JSON.parse(created.data);
      expect(next).toMatchObject({
        projectId: project.id,
        recurrence: { occurrenceDate: '2027-01-07' },
        task: {
          title: 'Water the plants',
          description: 'All of them',
          priority: 'high',
          status: 'todo',
          dueAt: '2027-01-07T08:00:00.000Z',
          assigneeId: member.user.id,
          labelIds: [label.id],
          checklist: { done: 0, total: 2 },
        },
      });
      const items = (await api.call('GET', `/api/v1/tasks/${next.task.id}/checklist`, { token: viewer }))
        .body as Array<{ text: string; done: boolean }>;
      expect(items.map((i) => [i.text, i.done])).toEqual([
        ['Ferns', false],
        ['Cacti', false],
      ]);
      const rule = await api.call('GET', `/api/v1/tasks/${next.task.id}/recurrence`, { token: viewer });
      expect(rule.body.recurrence).toMatchObject({ made: 2, summary: 'Every week on Mon, Thu at 08:00' });
      // Reopening and completing the old occurrence again makes nothing more: it is no longer the latest.
      await api.call('PATCH', `/api/v1/tasks/${task.id}`, { token: member.token, body: { status: 'todo' } });
      await api.call('PATCH', `/api/v1/tasks/${task.id}`, { token: member.token, body: { status: 'done' } });
      // Completing through PATCH continues the series like a move does.
      await api.call('PATCH', `/api/v1/tasks/${next.task.id}`, {
        token: member.token,
        body: { status: 'done' },
      });
      const dues = (await tasksOf(project.id)).map((t) => t.dueAt);
      expect(dues).toEqual([
        '2027-01-04T08:00:00.000Z',
        '2027-01-07T08:00:00.000Z',
        '2027-01-11T08:00:00.000Z',
      ]);
    } finally {
      stream.close();
    }
  });

  it('creates exactly one next occurrence when two replicas and retries complete it at once', async () => {
    const project = await buildProject(workspace);
    const task = await createTask(api, member.token, project, { dueAt: '2027-02-01T10:00:00.000Z' });
    await repeat(member.token, task.id, { frequency: 'daily' });
    const { sequelize, sql } = api.context;
    const series = (await findSeriesOfTask(sql, task.id))!;
    // Moves and an edit on both replicas, and attempts straight at the repository in transactions of their own
    // (a retry, the worker's catch-up), all at once: whichever sees the completion first makes the successor.
    const retry = () => sequelize.transaction((t) => spawnNextOccurrence(sql.in(t), series.id, new Date()));
    const answers = await Promise.all([
      complete(task.id, api.url),
      complete(task.id, replica.url),
      fetch(`${replica.url}/api/v1/tasks/${task.id}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${member.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'done' }),
      }).then((res) => res.status),
      retry(),
      retry(),
      retry(),
    ]);
    expect(answers.slice(0, 2).map((a) => (a as Response).status)).toEqual([200, 200]);
    expect(answers[2]).toBe(200);
    // Every later attempt finds the successor waiting to be done.
    const later = await Promise.all([retry(), retry()]);
    expect(later.map((r) => r.kind)).toEqual(['waiting', 'waiting']);
    const tasks = await tasksOf(project.id);
    expect(tasks.map((t) => [t.status, t.dueAt])).toEqual([
      ['done', '2027-02-01T10:00:00.000Z'],
      ['todo', '2027-02-02T10:00:00.000Z'],
    ]);
  });

  it('pauses a series whose latest occurrence is in the trash instead of ending it', async () => {
    const project = await buildProject(workspace);
    const task = await createTask(api, member.token, project, { status: 'done' });
    await repeat(member.token, task.id, { frequency: 'daily' });
    const { sequelize, sql } = api.context;
    const series = (await findSeriesOfTask(sql, task.id))!;
    expect((await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: member.token })).status).toBe(204);
    const attempt = await sequelize.transaction((t) => spawnNextOccurrence(sql.in(t), series.id, new Date()));
    expect(attempt.kind).toBe('waiting');
    const {
      rows: [row],
    } = await sql.query(`SELECT finished_at FROM task_recurrences WHERE id = $1`, [series.id]);
    expect(row).toEqual({ finished_at: null });
  });

  it('keeps the local time across a DST change in the workspace time zone', async () => {
    const zoned = await buildWorkspace(await buildUser());
    const admin = await buildMember(api, zoned, 'admin');
    await api.call('PUT', `/api/v1/workspaces/${zoned.id}/time-zone`, {
      token: admin.token,
      body: { timeZone: 'Europe/Berlin' },
    });
    const project = await buildProject(zoned);
    // 09:00 in Berlin on Friday 26 March 2027 (CET, UTC+1); summer time starts on Sunday 28 March.
    let current: { id: string } = await createTask(api, admin.token, project, {
      dueAt: '2027-03-26T08:00:00.000Z',
    });
    const set = await repeat(admin.token, current.id, { frequency: 'daily' });
    expect(set.body.recurrence).toMatchObject({ timeZone: 'Europe/Berlin', rule: { time: '09:00' } });
    const dues: string[] = [];
    for (let i = 0; i < 3; i++) {
      await api.call('POST', `/api/v1/tasks/${current.id}/move`, {
        token: admin.token,
        body: { status: 'done' },
      });
      const open = (await tasksOf(project.id, admin.token)).filter((t) => t.status === 'todo');
      expect(open).toHaveLength(1);
      current = open[0]!;
      dues.push(open[0]!.dueAt!);
    }
    expect(dues).toEqual([
      '2027-03-27T08:00:00.000Z',
      '2027-03-28T07:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
    ]);
  });
});
