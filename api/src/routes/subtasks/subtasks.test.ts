import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { openEventStream } from '../../../test/sse-client.js';

let api: TestApi;
let workspace: { id: string };
let project: { id: string };
let member: string;
let viewer: string;
let outsider: string;

beforeAll(async () => {
  api = await startTestApi();
  workspace = await buildWorkspace(await buildUser());
  project = await buildProject(workspace);
  member = (await buildMember(api, workspace, 'member')).token;
  viewer = (await buildMember(api, workspace, 'viewer')).token;
  outsider = await tokenFor(api, await buildUser());
});
afterAll(() => api.close());

const subtask = async (parentId: string, body: Record<string, unknown> = {}) => {
  const res = await api.call('POST', `/api/v1/tasks/${parentId}/subtasks`, {
    token: member,
    body: { title: 'Step', ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; number: number; parentId: string; projectId: string };
};
const read = async (id: string) => (await api.call('GET', `/api/v1/tasks/${id}`, { token: viewer })).body;
const setParent = (id: string, parentId: string) =>
  api.call('PUT', `/api/v1/tasks/${id}/parent`, { token: member, body: { parentId } });

describe('subtasks', () => {
  it('creates subtasks in the parent project, lists them and shows the parent’s progress', async () => {
    const parent = await createTask(api, member, project, { title: 'Launch' });
    expect(parent).toMatchObject({ parentId: null, subtasks: { done: 0, total: 0 } });
    const one = await subtask(parent.id, { title: 'Write docs' });
    const two = await subtask(parent.id, { title: 'Tag release', status: 'done' });
    expect(one).toMatchObject({ parentId: parent.id, projectId: project.id, number: parent.number + 1 });
    const listed = await api.call('GET', `/api/v1/tasks/${parent.id}/subtasks`, { token: viewer });
    expect(listed.status).toBe(200);
    expect(listed.body.map((t: { id: string }) => t.id)).toEqual([one.id, two.id]);
    expect((await read(parent.id)).subtasks).toEqual({ done: 1, total: 2 });
    await api.call('POST', `/api/v1/tasks/${one.id}/move`, { token: member, body: { status: 'done' } });
    expect((await read(parent.id)).subtasks).toEqual({ done: 2, total: 2 });
  });

  it('attaches an existing task as a subtask and promotes it back to a task', async () => {
    const parent = await createTask(api, member, project);
    const task = await createTask(api, member, project);
    const attached = await setParent(task.id, parent.id);
    expect(attached).toMatchObject({ status: 200, body: { id: task.id, parentId: parent.id } });
    expect((await setParent(task.id, parent.id)).status).toBe(200);
    expect((await read(parent.id)).subtasks.total).toBe(1);
    const promoted = await api.call('DELETE', `/api/v1/tasks/${task.id}/parent`, { token: member });
    expect(promoted).toMatchObject({ status: 200, body: { id: task.id, parentId: null } });
    expect((await read(parent.id)).subtasks.total).toBe(0);
  });

  it('keeps to one level: no cycles, no grandchildren, no parents from elsewhere', async () => {
    const parent = await createTask(api, member, project);
    const child = await subtask(parent.id);
    const loner = await createTask(api, member, project);
    const elsewhere = await createTask(api, member, await buildProject(workspace));

    const self = await setParent(parent.id, parent.id);
    expect(self.status).toBe(400);
    expect(self.body.errors).toEqual([{ path: 'parentId', message: 'cannot be the task itself' }]);
    // A subtask cannot be a parent, which also rules out the cycle parent → child → parent.
    const underChild = await setParent(loner.id, child.id);
    expect(underChild.status).toBe(400);
    expect(underChild.body.errors[0].message).toMatch(/is a subtask itself/);
    expect((await setParent(parent.id, child.id)).status).toBe(400);
    // A task with subtasks cannot become a subtask.
    const withChildren = await setParent(parent.id, loner.id);
    expect(withChildren.status).toBe(409);
    expect(withChildren.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const crossProject = await setParent(elsewhere.id, parent.id);
    expect(crossProject.status).toBe(400);
    expect(crossProject.body.errors).toEqual([
      { path: 'parentId', message: 'is not a task of this project' },
    ]);
    const grandchild = await api.call('POST', `/api/v1/tasks/${child.id}/subtasks`, {
      token: member,
      body: { title: 'too deep' },
    });
    expect(grandchild.status).toBe(409);
    expect((await setParent(loner.id, '00000000-0000-4000-8000-000000000000')).status).toBe(400);
    expect(
      (await api.call('PUT', `/api/v1/tasks/${loner.id}/parent`, { token: member, body: {} })).status,
    ).toBe(400);
    expect(
      (await api.call('POST', `/api/v1/tasks/${parent.id}/subtasks`, { token: member, body: { title: '' } }))
        .status,
    ).toBe(400);
  });

  it('trashes subtasks with their parent and brings them back with it, announcing both', async () => {
    const parent = await createTask(api, member, project);
    const child = await subtask(parent.id);
    const stream = await openEventStream(`${api.url}/api/v1/events?workspaceId=${workspace.id}`, {
      authorization: `Bearer ${viewer}`,
    });
    try {
      expect((await api.call('DELETE', `/api/v1/tasks/${parent.id}`, { token: member })).status).toBe(204);
      expect((await api.call('GET', `/api/v1/tasks/${child.id}`, { token: member })).status).toBe(404);
      await stream.next((e) => e.event === 'task.deleted' && JSON.parse(e.data).id === child.id);
      // A subtask alone cannot come back while its parent is in the trash.
      const alone = await api.call('POST', `/api/v1/trash/task/${child.id}/restore`, { token: member });
      expect(alone.status).toBe(409);
      const back = await api.call('POST', `/api/v1/trash/task/${parent.id}/restore`, { token: member });
      expect(back.status).toBe(204);
      expect(await read(child.id)).toMatchObject({ id: child.id, parentId: parent.id });
      expect(await read(parent.id)).toMatchObject({ subtasks: { done: 0, total: 1 } });
      const restored = await stream.next(
        (e) => e.event === 'task.restored' && JSON.parse(e.data).task.id === child.id,
      );
      expect(JSON.parse(restored.data)).toMatchObject({ task: { parentId: parent.id } });
    } finally {
      stream.close();
    }
  });

  it('announces the parent whenever its progress changes', async () => {
    const parent = await createTask(api, member, project);
    const stream = await openEventStream(`${api.url}/api/v1/events?workspaceId=${workspace.id}`, {
      authorization: `Bearer ${viewer}`,
    });
    const parentWith = (done: number, total: number) =>
      stream.next((e) => {
        const data = JSON.parse(e.data);
        return (
          e.event === 'task.updated' &&
          data.task?.id === parent.id &&
          data.task.subtasks.done === done &&
          data.task.subtasks.total === total
        );
      });
    try {
      const child = await subtask(parent.id);
      await parentWith(0, 1);
      await api.call('PATCH', `/api/v1/tasks/${child.id}`, { token: member, body: { status: 'done' } });
      await parentWith(1, 1);
      await api.call('DELETE', `/api/v1/tasks/${child.id}/parent`, { token: member });
      await parentWith(0, 0);
      await setParent(child.id, parent.id);
      await parentWith(1, 1);
      await api.call('DELETE', `/api/v1/tasks/${child.id}`, { token: member });
      await parentWith(0, 0);
    } finally {
      stream.close();
    }
  });

  it('hides subtasks from other workspaces and lets viewers only read', async () => {
    const parent = await createTask(api, member, project);
    expect((await api.call('GET', `/api/v1/tasks/${parent.id}/subtasks`, { token: outsider })).status).toBe(
      404,
    );
    const refused = await api.call('POST', `/api/v1/tasks/${parent.id}/subtasks`, {
      token: viewer,
      body: { title: 'no' },
    });
    expect(refused.status).toBe(403);
  });
});
