import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { openEventStream } from '../../../test/sse-client.js';

let api: TestApi;
let workspace: { id: string };
let project: { id: string };
let member: { user: { id: string }; token: string };
let viewer: string;
let outsider: string;

beforeAll(async () => {
  api = await startTestApi();
  workspace = await buildWorkspace(await buildUser());
  project = await buildProject(workspace);
  member = await buildMember(api, workspace, 'member');
  viewer = (await buildMember(api, workspace, 'viewer')).token;
  outsider = await tokenFor(api, await buildUser());
});
afterAll(() => api.close());

const add = async (taskId: string, body: Record<string, unknown>) => {
  const res = await api.call('POST', `/api/v1/tasks/${taskId}/checklist`, { token: member.token, body });
  expect(res.status).toBe(201);
  return res.body as { id: string; text: string; position: string };
};
const texts = async (taskId: string) =>
  (
    (await api.call('GET', `/api/v1/tasks/${taskId}/checklist`, { token: viewer })).body as { text: string }[]
  ).map((item) => item.text);

describe('checklists', () => {
  it('adds items in order, edits, ticks and deletes them; the task shows its progress', async () => {
    const task = await createTask(api, member.token, project);
    expect(task.checklist).toEqual({ done: 0, total: 0 });
    const first = await add(task.id, {
      text: 'Draft',
      assigneeId: member.user.id,
      dueAt: '2030-05-01T10:00:00Z',
    });
    expect(first).toMatchObject({
      taskId: task.id,
      text: 'Draft',
      done: false,
      assigneeId: member.user.id,
      dueAt: '2030-05-01T10:00:00.000Z',
    });
    const second = await add(task.id, { text: 'Review', done: true });
    await add(task.id, { text: 'Ship' });
    expect(await texts(task.id)).toEqual(['Draft', 'Review', 'Ship']);

    const edited = await api.call('PATCH', `/api/v1/checklist-items/${first.id}`, {
      token: member.token,
      body: { text: 'Draft it', done: true, assigneeId: null, dueAt: null },
    });
    expect(edited).toMatchObject({
      status: 200,
      body: { text: 'Draft it', done: true, assigneeId: null, dueAt: null },
    });
    const read = await api.call('GET', `/api/v1/tasks/${task.id}`, { token: viewer });
    expect(read.body.checklist).toEqual({ done: 2, total: 3 });
    const listed = await api.call('GET', `/api/v1/projects/${project.id}/tasks`, { token: viewer });
    expect(listed.body.items.find((t: { id: string }) => t.id === task.id).checklist).toEqual({
      done: 2,
      total: 3,
    });

    expect(
      (await api.call('DELETE', `/api/v1/checklist-items/${second.id}`, { token: member.token })).status,
    ).toBe(204);
    expect(await texts(task.id)).toEqual(['Draft it', 'Ship']);
    expect(
      (await api.call('DELETE', `/api/v1/checklist-items/${second.id}`, { token: member.token })).status,
    ).toBe(404);
  });

  it('reorders items to any place, first and past the end included', async () => {
    const task = await createTask(api, member.token, project);
    const [a, , c] = [
      await add(task.id, { text: 'a' }),
      await add(task.id, { text: 'b' }),
      await add(task.id, { text: 'c' }),
    ];
    const move = (id: string, index: number) =>
      api.call('POST', `/api/v1/checklist-items/${id}/move`, { token: member.token, body: { index } });
    expect((await move(c!.id, 0)).status).toBe(200);
    expect(await texts(task.id)).toEqual(['c', 'a', 'b']);
    await move(c!.id, 99);
    expect(await texts(task.id)).toEqual(['a', 'b', 'c']);
    await move(a!.id, 1);
    expect(await texts(task.id)).toEqual(['b', 'a', 'c']);
    expect((await move(a!.id, -1)).status).toBe(400);
  });

  it('announces every change with the whole list as committed', async () => {
    const task = await createTask(api, member.token, project);
    const stream = await openEventStream(`${api.url}/api/v1/events?workspaceId=${workspace.id}`, {
      authorization: `Bearer ${viewer}`,
    });
    try {
      const item = await add(task.id, { text: 'Live' });
      await api.call('PATCH', `/api/v1/checklist-items/${item.id}`, {
        token: member.token,
        body: { done: true },
      });
      const ticked = await stream.next(
        (e) => e.event === 'checklist.updated' && JSON.parse(e.data).progress.done === 1,
      );
      expect(JSON.parse(ticked.data)).toMatchObject({
        projectId: project.id,
        taskId: task.id,
        items: [{ id: item.id, text: 'Live', done: true }],
        progress: { done: 1, total: 1 },
      });
      await api.call('DELETE', `/api/v1/checklist-items/${item.id}`, { token: member.token });
      await stream.next((e) => e.event === 'checklist.updated' && JSON.parse(e.data).progress.total === 0);
      expect(stream.events.filter((e) => e.event === 'checklist.updated')).toHaveLength(3);
    } finally {
      stream.close();
    }
  });

  it('refuses bad input and strangers with problem+json, never a 500', async () => {
    const task = await createTask(api, member.token, project);
    const item = await add(task.id, { text: 'x' });
    const stranger = await buildUser();
    const bad = [
      { text: '' },
      { text: '   ' },
      { text: 'x'.repeat(501) },
      { text: 'ok', extra: 1 },
      { text: 'ok', dueAt: 'tomorrow' },
      { text: 'ok', assigneeId: 'nope' },
      { text: 'a\u0000b' },
    ];
    for (const body of bad) {
      const res = await api.call('POST', `/api/v1/tasks/${task.id}/checklist`, { token: member.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    const foreign = await api.call('POST', `/api/v1/tasks/${task.id}/checklist`, {
      token: member.token,
      body: { text: 'ok', assigneeId: stranger.id },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual([
      { path: 'assigneeId', message: 'is not a member of this workspace' },
    ]);
    const patchForeign = await api.call('PATCH', `/api/v1/checklist-items/${item.id}`, {
      token: member.token,
      body: { assigneeId: stranger.id },
    });
    expect(patchForeign.status).toBe(400);
    // A malformed id names nothing: 404, as for every other resource.
    expect(
      (
        await api.call('PATCH', `/api/v1/checklist-items/not-a-uuid`, {
          token: member.token,
          body: { done: true },
        })
      ).status,
    ).toBe(404);
    expect((await api.call('GET', `/api/v1/tasks/${task.id}/checklist`, { token: outsider })).status).toBe(
      404,
    );
    expect(
      (
        await api.call('PATCH', `/api/v1/checklist-items/${item.id}`, {
          token: outsider,
          body: { done: true },
        })
      ).status,
    ).toBe(404);
    expect(
      (await api.call('PATCH', `/api/v1/checklist-items/${item.id}`, { token: viewer, body: { done: true } }))
        .status,
    ).toBe(403);
  });

  it('goes with its task when the task is deleted', async () => {
    const task = await createTask(api, member.token, project);
    const item = await add(task.id, { text: 'gone soon' });
    await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: member.token });
    expect(
      (
        await api.call('PATCH', `/api/v1/checklist-items/${item.id}`, {
          token: member.token,
          body: { done: true },
        })
      ).status,
    ).toBe(404);
  });
});
