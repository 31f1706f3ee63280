import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLabel, buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { openEventStream } from '../../../test/sse-client.js';

let api: TestApi;
let workspace: { id: string };
let member: { user: { id: string }; token: string };
let viewer: string;
let outsider: string;

beforeAll(async () => {
  api = await startTestApi();
  workspace = await buildWorkspace(await buildUser());
  member = await buildMember(api, workspace, 'member');
  viewer = (await buildMember(api, workspace, 'viewer')).token;
  outsider = await tokenFor(api, await buildUser());
});
afterAll(() => api.close());

const bulk = (projectId: string, body: unknown, token = member.token) =>
  api.call('POST', `/api/v1/projects/${projectId}/tasks/bulk`, { token, body });
const read = async (id: string) => (await api.call('GET', `/api/v1/tasks/${id}`, { token: viewer })).body;

describe('bulk edit', () => {
  it('changes status, assignee, due date and labels of many tasks at once', async () => {
    const project = await buildProject(workspace);
    const [keep, drop] = [await buildLabel(workspace), await buildLabel(workspace)];
    const done = await createTask(api, member.token, project, { status: 'done' });
    const a = await createTask(api, member.token, project, { labelIds: [drop.id] });
    const b = await createTask(api, member.token, project, { status: 'backlog' });
    const res = await bulk(project.id, {
      ids: [a.id, b.id],
      changes: {
        status: 'done',
        assigneeId: member.user.id,
        dueAt: '2031-01-01T00:00:00Z',
        addLabelIds: [keep.id],
        removeLabelIds: [drop.id],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([a.id, b.id]);
    for (const task of res.body.items) {
      expect(task).toMatchObject({
        status: 'done',
        assigneeId: member.user.id,
        dueAt: '2031-01-01T00:00:00.000Z',
        labelIds: [keep.id],
      });
    }
    // Both went to the end of Done, in the order given.
    const [ra, rb] = res.body.items;
    expect(ra.position > done.position && rb.position > ra.position).toBe(true);
  });

  it('moves tasks to another project of the workspace with new numbers, dropping links that would cross', async () => {
    const from = await buildProject(workspace);
    const to = await buildProject(workspace);
    const existing = await createTask(api, member.token, to);
    const parent = await createTask(api, member.token, from);
    const child = (
      await api.call('POST', `/api/v1/tasks/${parent.id}/subtasks`, {
        token: member.token,
        body: { title: 'c' },
      })
    ).body;
    const loner = await createTask(api, member.token, from);
    const stream = await openEventStream(`${api.url}/api/v1/events?workspaceId=${workspace.id}`, {
      authorization: `Bearer ${viewer}`,
    });
    try {
      const res = await bulk(from.id, { ids: [parent.id, loner.id], changes: { projectId: to.id } });
      expect(res.status).toBe(200);
      expect(
        res.body.items.map((t: { projectId: string; number: number }) => [t.projectId, t.number]),
      ).toEqual([
        [to.id, existing.number + 1],
        [to.id, existing.number + 2],
      ]);
      expect(res.body.items[0].subtasks).toEqual({ done: 0, total: 0 });
      expect(await read(child.id)).toMatchObject({ projectId: from.id, parentId: null });
      const moved = await stream.next(
        (e) => e.event === 'task.updated' && JSON.parse(e.data).task.id === loner.id,
      );
      expect(JSON.parse(moved.data)).toMatchObject({ projectId: to.id, task: { projectId: to.id } });
      await stream.next((e) => e.event === 'task.updated' && JSON.parse(e.data).task.id === child.id);
      const listed = await api.call('GET', `/api/v1/projects/${to.id}/tasks`, { token: viewer });
      expect(listed.body.items).toHaveLength(3);
    } finally {
      stream.close();
    }
  });

  it('changes nothing when any task or reference is wrong (400 problem+json)', async () => {
    const project = await buildProject(workspace);
    const other = await buildProject(workspace);
    const mine = await createTask(api, member.token, project, { title: 'Mine' });
    const theirs = await createTask(api, member.token, other);
    const foreignWorkspace = await buildWorkspace(await buildUser());
    const foreignProject = await buildProject(foreignWorkspace);
    const foreignLabel = await buildLabel(foreignWorkspace);
    const stranger = await buildUser();
    const cases: [unknown, string | undefined][] = [
      [{ ids: [mine.id, theirs.id], changes: { status: 'done' } }, 'ids'],
      [{ ids: [mine.id], changes: { assigneeId: stranger.id } }, 'changes.assigneeId'],
      [{ ids: [mine.id], changes: { addLabelIds: [foreignLabel.id] } }, 'changes.addLabelIds'],
      [{ ids: [mine.id], changes: { projectId: foreignProject.id } }, 'changes.projectId'],
      [{ ids: [mine.id], changes: {} }, undefined],
      [{ ids: [], changes: { status: 'done' } }, undefined],
      [{ ids: [mine.id], changes: { status: 'nope' } }, undefined],
      [{ ids: [mine.id], changes: { title: 'x' } }, undefined],
      [{ ids: Array.from({ length: 101 }, () => mine.id), changes: { status: 'done' } }, undefined],
      [{ ids: ['x'], changes: { status: 'done' } }, undefined],
      [[], undefined],
    ];
    for (const [body, path] of cases) {
      const res = await bulk(project.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      if (path) expect(res.body.errors[0].path, JSON.stringify(body)).toBe(path);
    }
    expect(await read(mine.id)).toMatchObject({ status: 'todo', projectId: project.id, title: 'Mine' });
    expect(await read(theirs.id)).toMatchObject({ status: 'todo' });
  });

  it('lets members edit, refuses viewers (403) and hides the project from strangers (404)', async () => {
    const project = await buildProject(workspace);
    const task = await createTask(api, member.token, project);
    const body = { ids: [task.id], changes: { status: 'done' } };
    expect((await bulk(project.id, body, viewer)).status).toBe(403);
    expect((await bulk(project.id, body, outsider)).status).toBe(404);
    expect((await read(task.id)).status).toBe('todo');
  });
});
