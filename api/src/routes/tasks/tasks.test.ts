import { ActivityEvent } from '@taskstack/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabel, buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';

let api: TestApi;
let workspace: { id: string };
let project: { id: string; name: string };
let member: { user: { id: string; email: string }; token: string };
let other: { user: { id: string; email: string }; token: string };
let viewer: string;
let outsider: string;
let foreignLabel: { id: string };

beforeAll(async () => {
  api = await startTestApi({ PUBLIC_URL: 'https://tasks.example.com' });
  workspace = await buildWorkspace(await buildUser());
  project = await buildProject(workspace, { name: 'Apollo' });
  member = await buildMember(api, workspace, 'member');
  other = await buildMember(api, workspace, 'member');
  viewer = (await buildMember(api, workspace, 'viewer')).token;
  const stranger = await buildUser();
  const strangerWorkspace = await buildWorkspace(stranger);
  foreignLabel = await buildLabel(strangerWorkspace);
  outsider = await tokenFor(api, stranger);
});
afterAll(() => api.close());

const assignedEmails = async () =>
  (await api.context.emails.queue.getJobs(['waiting', 'delayed', 'prioritized'])).filter(
    (job) => job.name === 'task-assigned',
  );

describe('tasks', () => {
  it('stores quotes, backslashes and SQL in titles verbatim, and refuses NUL characters (400)', async () => {
    const title = `O'Brien \\ '); DROP TABLE tasks; -- \\' $1 :id`;
    const description = "E'\\x41' \\\\ ''";
    const created = await api.call('POST', `/api/v1/projects/${project.id}/tasks`, {
      token: member.token,
      body: { title, description },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title, description });
    const read = await api.call('GET', `/api/v1/tasks/${created.body.id}`, { token: member.token });
    expect(read.body).toMatchObject({ title, description });
    const activity = await ActivityEvent.findOne({ where: { subjectId: created.body.id } });
    expect(activity!.data).toMatchObject({ title });

    for (const body of [{ title: 'a\u0000b' }, { title: 'ok', description: '\u0000' }]) {
      const refused = await api.call('POST', `/api/v1/projects/${project.id}/tasks`, {
        token: member.token,
        body,
      });
      expect(refused.status).toBe(400);
    }
  });

  it('creates tasks with per-project numbers at the end of their column, and records activity', async () => {
    const label = await buildLabel(workspace);
    const first = await api.call('POST', `/api/v1/projects/${project.id}/tasks`, {
      token: member.token,
      body: {
        title: 'Write spec',
        description: 'All of it',
        priority: 'high',
        dueAt: '2030-01-02T03:04:05+02:00',
        labelIds: [label.id, label.id],
      },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      projectId: project.id,
      title: 'Write spec',
      description: 'All of it',
      status: 'todo',
      priority: 'high',
      dueAt: '2030-01-02T01:04:05.000Z',
      assigneeId: null,
      labelIds: [label.id],
      createdBy: member.user.id,
    });
    const second = await createTask(api, member.token, project);
    expect(second.number).toBe(first.body.number + 1);
    expect(second.position > first.body.position).toBe(true);
    const activity = await ActivityEvent.findOne({ where: { subjectId: first.body.id } });
    expect(activity).toMatchObject({ verb: 'task.created', actorId: member.user.id, projectId: project.id });
  });

  it('reads, edits and deletes a task, recording what changed', async () => {
    const task = await createTask(api, member.token, project, { title: 'Old' });
    const read = await api.call('GET', `/api/v1/tasks/${task.id}`, { token: viewer });
    expect(read).toMatchObject({ status: 200, body: { id: task.id, title: 'Old' } });
    const patched = await api.call('PATCH', `/api/v1/tasks/${task.id}`, {
      token: member.token,
      body: { title: 'New', priority: 'urgent', dueAt: null },
    });
    expect(patched).toMatchObject({ status: 200, body: { title: 'New', priority: 'urgent', dueAt: null } });
    const updated = await ActivityEvent.findOne({ where: { subjectId: task.id, verb: 'task.updated' } });
    expect(updated!.data).toEqual({
      changes: { title: { from: 'Old', to: 'New' }, priority: { from: 'none', to: 'urgent' } },
    });
    expect((await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: member.token })).status).toBe(204);
    expect((await api.call('GET', `/api/v1/tasks/${task.id}`, { token: member.token })).status).toBe(404);
    expect(await ActivityEvent.count({ where: { subjectId: task.id, verb: 'task.deleted' } })).toBe(1);
  });

  it('moves a task to the end of the new column when PATCH changes its status', async () => {
    const done = await createTask(api, member.token, project, { status: 'done' });
    const task = await createTask(api, member.token, project);
    const res = await api.call('PATCH', `/api/v1/tasks/${task.id}`, {
      token: member.token,
      body: { status: 'done' },
    });
    expect(res.body.status).toBe('done');
    expect(res.body.position > done.position).toBe(true);
  });

  it('enqueues a task-assigned email when someone else is assigned, not when assigning oneself', async () => {
    const before = (await assignedEmails()).length;
    await createTask(api, member.token, project, { assigneeId: member.user.id });
    expect((await assignedEmails()).length).toBe(before);
    const task = await createTask(api, member.token, project, { title: 'Ship it' });
    const res = await api.call('PATCH', `/api/v1/tasks/${task.id}`, {
      token: member.token,
      body: { assigneeId: other.user.id },
    });
    expect(res.body.assigneeId).toBe(other.user.id);
    const jobs = await assignedEmails();
    expect(jobs.length).toBe(before + 1);
    expect(jobs.find((job) => job.data.to === other.user.email)?.data).toMatchObject({
      taskTitle: 'Ship it',
      taskRef: `Apollo #${task.number}`,
      taskUrl: `https://tasks.example.com/tasks/${task.id}`,
    });
  });

  it('refuses assignees and labels from outside the workspace, and unknown fields', async () => {
    const stranger = await buildUser();
    const badAssignee = await api.call('POST', `/api/v1/projects/${project.id}/tasks`, {
      token: member.token,
      body: { title: 'x', assigneeId: stranger.id },
    });
    expect(badAssignee.status).toBe(400);
    expect(badAssignee.body.errors).toEqual([
      { path: 'assigneeId', message: 'is not a member of this workspace' },
    ]);
    const badLabel = await api.call('POST', `/api/v1/projects/${project.id}/tasks`, {
      token: member.token,
      body: { title: 'x', labelIds: [foreignLabel.id] },
    });
    expect(badLabel.status).toBe(400);
    const unknown = await api.call('POST', `/api/v1/projects/${project.id}/tasks`, {
      token: member.token,
      body: { title: 'x', status: 'started', number: 4 },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toContain('status');
    const task = await createTask(api, member.token, project);
    const patch = await api.call('PATCH', `/api/v1/tasks/${task.id}`, {
      token: member.token,
      body: { title: '' },
    });
    expect(patch.status).toBe(400);
  });

  it('lets viewers read but not write; hides tasks from other workspaces', async () => {
    const task = await createTask(api, member.token, project);
    const create = await api.call('POST', `/api/v1/projects/${project.id}/tasks`, {
      token: viewer,
      body: { title: 'x' },
    });
    expect(create.status).toBe(403);
    expect(
      (await api.call('PATCH', `/api/v1/tasks/${task.id}`, { token: viewer, body: { title: 'y' } })).status,
    ).toBe(403);
    expect((await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: viewer })).status).toBe(403);
    for (const [method, path] of [
      ['GET', `/api/v1/tasks/${task.id}`],
      ['PATCH', `/api/v1/tasks/${task.id}`],
      ['DELETE', `/api/v1/tasks/${task.id}`],
      ['GET', `/api/v1/projects/${project.id}/tasks`],
      ['POST', `/api/v1/projects/${project.id}/tasks`],
    ] as const) {
      const res = await api.call(method, path, {
        token: outsider,
        body: method === 'GET' ? undefined : { title: 'z' },
      });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await api.call('GET', `/api/v1/tasks/${task.id}`)).status).toBe(401);
  });
});
