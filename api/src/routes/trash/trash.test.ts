import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProject, createTask } from '../../../test/board-factories.js';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';
import { openEventStream } from '../../../test/sse-client.js';

let api: TestApi;
let workspace: { id: string };
let owner: string;
let admin: string;
let member: { token: string; user: { id: string; name: string } };
let other: string;
let viewer: string;
let outsider: string;

beforeAll(async () => {
  api = await startTestApi();
  const founder = await buildUser();
  workspace = await buildWorkspace(founder);
  owner = await tokenFor(api, founder);
  admin = (await buildMember(api, workspace, 'admin')).token;
  member = (await buildMember(api, workspace, 'member')) as typeof member;
  other = (await buildMember(api, workspace, 'member')).token;
  viewer = (await buildMember(api, workspace, 'viewer')).token;
  outsider = await tokenFor(api, await buildUser());
});
afterAll(() => api.close());

const trash = async (token = member.token, query = '') =>
  api.call('GET', `/api/v1/workspaces/${workspace.id}/trash${query}`, { token });
const trashIds = async () =>
  ((await trash(admin, '?limit=100')).body.items as { id: string }[]).map((i) => i.id);
const restore = (kind: string, id: string, token = member.token) =>
  api.call('POST', `/api/v1/trash/${kind}/${id}/restore`, { token });
const purge = (kind: string, id: string, token = admin) =>
  api.call('DELETE', `/api/v1/trash/${kind}/${id}`, { token });
const listed = async (projectId: string, query = '') =>
  (
    (await api.call('GET', `/api/v1/projects/${projectId}/tasks${query}`, { token: viewer })).body.items as {
      id: string;
    }[]
  ).map((t) => t.id);

describe('the trash', () => {
  it('moves a deleted task out of every view into the trash, and restores it', async () => {
    const project = await buildProject(workspace);
    const task = await createTask(api, member.token, project, { title: 'Quarterly zebra report' });
    const kept = await createTask(api, member.token, project, { title: 'Another zebra' });
    await api.call('POST', `/api/v1/tasks/${task.id}/comments`, {
      token: member.token,
      body: { body: 'hi' },
    });
    expect((await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: member.token })).status).toBe(204);

    expect(await listed(project.id)).toEqual([kept.id]);
    expect(await listed(project.id, '?q=zebra')).toEqual([kept.id]);
    expect((await api.call('GET', `/api/v1/tasks/${task.id}`, { token: viewer })).status).toBe(404);
    expect((await api.call('GET', `/api/v1/tasks/${task.id}/comments`, { token: viewer })).status).toBe(404);
    const counts = (await api.call('GET', `/api/v1/projects/${project.id}`, { token: viewer })).body
      .taskCounts;
    expect(counts.todo).toBe(1);
    // A second delete finds nothing live.
    expect((await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: member.token })).status).toBe(404);

    const page = await trash();
    expect(page.status).toBe(200);
    expect(page.body.items[0]).toMatchObject({
      kind: 'task',
      id: task.id,
      title: 'Quarterly zebra report',
      projectId: project.id,
      projectName: project.name,
      taskNumber: task.number,
      deletedBy: { id: member.user.id, name: member.user.name },
    });
    const { deletedAt, purgeAt } = page.body.items[0];
    expect(Date.parse(purgeAt) - Date.parse(deletedAt)).toBe(30 * 86_400_000);

    expect((await restore('task', task.id, viewer)).status).toBe(403);
    expect((await restore('task', task.id, outsider)).status).toBe(404);
    expect((await restore('task', task.id, other)).status).toBe(204);
    expect((await restore('task', task.id)).status).toBe(404);
    // Back at the end of its column, with its comment.
    expect(await listed(project.id)).toEqual([kept.id, task.id]);
    const comments = await api.call('GET', `/api/v1/tasks/${task.id}/comments`, { token: viewer });
    expect(comments.body.items).toHaveLength(1);
    expect(await trashIds()).not.toContain(task.id);
    const activity = await api.call('GET', `/api/v1/projects/${project.id}/activity`, { token: viewer });
    expect(activity.body.items.map((e: { verb: string }) => e.verb).slice(0, 2)).toEqual([
      'task.restored',
      'task.deleted',
    ]);
  });

  it("hides a trashed task's inbox items until it is restored", async () => {
    const task = await createTask(api, other, await buildProject(workspace), { assigneeId: member.user.id });
    const inbox = async () => {
      const items = await api.call('GET', `/api/v1/workspaces/${workspace.id}/inbox`, {
        token: member.token,
      });
      const unread = await api.call('GET', `/api/v1/workspaces/${workspace.id}/inbox/unread`, {
        token: member.token,
      });
      return {
        ids: (items.body.items as { task: { id: string } | null }[]).map((i) => i.task?.id),
        unread: unread.body.unread as number,
      };
    };
    const before = await inbox();
    expect(before.ids).toContain(task.id);
    await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: other });
    const during = await inbox();
    expect(during.ids).not.toContain(task.id);
    expect(during.unread).toBe(before.unread - 1);
    expect((await restore('task', task.id, other)).status).toBe(204);
    expect(await inbox()).toEqual(before);
  });

  it('hides the subtasks of a trashed parent', async () => {
    const project = await buildProject(workspace);
    const parent = await createTask(api, member.token, project);
    const child = await api.call('POST', `/api/v1/tasks/${parent.id}/subtasks`, {
      token: member.token,
      body: { title: 'Step' },
    });
    await api.call('DELETE', `/api/v1/tasks/${parent.id}`, { token: member.token });
    expect((await api.call('GET', `/api/v1/tasks/${parent.id}/subtasks`, { token: viewer })).status).toBe(
      404,
    );
    expect(await listed(project.id)).toEqual([]);
    // Listed as one item: the subtask comes back with its parent.
    const ids = await trashIds();
    expect(ids).toContain(parent.id);
    expect(ids).not.toContain(child.body.id);
  });

  it('trashes a project with its tasks and restores them together, leaving what was trashed before', async () => {
    const project = await buildProject(workspace);
    const earlier = await createTask(api, member.token, project);
    const task = await createTask(api, member.token, project);
    await api.call('DELETE', `/api/v1/tasks/${earlier.id}`, { token: member.token });
    const stream = await openEventStream(`${api.url}/api/v1/events?workspaceId=${workspace.id}`, {
      authorization: `Bearer ${viewer}`,
    });
    try {
      expect((await api.call('DELETE', `/api/v1/projects/${project.id}`, { token: admin })).status).toBe(204);
      await stream.next((e) => e.event === 'project.deleted' && JSON.parse(e.data).id === project.id);
      const projects = await api.call('GET', `/api/v1/workspaces/${workspace.id}/projects`, {
        token: viewer,
      });
      expect(projects.body.map((p: { id: string }) => p.id)).not.toContain(project.id);
      expect((await api.call('GET', `/api/v1/tasks/${task.id}`, { token: viewer })).status).toBe(404);
      expect((await api.call('GET', `/api/v1/projects/${project.id}/tasks`, { token: viewer })).status).toBe(
        404,
      );
      const ids = await trashIds();
      expect(ids).toContain(project.id);
      expect(ids).toContain(earlier.id);
      expect(ids).not.toContain(task.id);

      const held = await restore('task', earlier.id);
      expect(held.status).toBe(409);
      expect(held.headers.get('content-type')).toMatch(/problem\+json/);
      expect(await restore('project', project.id)).toMatchObject({ status: 403 });
      expect((await restore('project', project.id, admin)).status).toBe(204);
      const back = await stream.next((e) => e.event === 'project.restored');
      expect(JSON.parse(back.data)).toMatchObject({ project: { id: project.id } });
      expect(await listed(project.id)).toEqual([task.id]);
      expect(await trashIds()).toContain(earlier.id);
    } finally {
      stream.close();
    }
  });

  it('lets the author or an admin restore a comment', async () => {
    const task = await createTask(api, member.token, await buildProject(workspace));
    const comment = await api.call('POST', `/api/v1/tasks/${task.id}/comments`, {
      token: member.token,
      body: { body: 'A thought worth keeping' },
    });
    const id = comment.body.id as string;
    expect((await api.call('DELETE', `/api/v1/comments/${id}`, { token: member.token })).status).toBe(204);
    const comments = await api.call('GET', `/api/v1/tasks/${task.id}/comments`, { token: viewer });
    expect(comments.body.items).toEqual([]);
    expect((await trash()).body.items[0]).toMatchObject({
      kind: 'comment',
      id,
      title: 'A thought worth keeping',
    });
    expect((await restore('comment', id, other)).status).toBe(403);
    expect((await restore('comment', id)).status).toBe(204);
    await api.call('DELETE', `/api/v1/comments/${id}`, { token: member.token });
    expect((await restore('comment', id, admin)).status).toBe(204);
    // Its task in the trash: the comment waits for it.
    await api.call('DELETE', `/api/v1/comments/${id}`, { token: member.token });
    await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: member.token });
    expect((await restore('comment', id)).status).toBe(409);
  });

  it('purges for good, admins only', async () => {
    const task = await createTask(api, member.token, await buildProject(workspace));
    await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: member.token });
    expect((await purge('task', task.id, member.token)).status).toBe(403);
    expect((await purge('task', task.id, outsider)).status).toBe(404);
    expect((await purge('comment', task.id)).status).toBe(404);
    expect((await purge('task', task.id)).status).toBe(204);
    expect((await purge('task', task.id)).status).toBe(404);
    expect((await restore('task', task.id)).status).toBe(404);
    expect(await trashIds()).not.toContain(task.id);
  });

  it('pages through the trash, most recent first, without gaps', async () => {
    const project = await buildProject(workspace);
    for (let i = 0; i < 3; i++) {
      const task = await createTask(api, member.token, project);
      await api.call('DELETE', `/api/v1/tasks/${task.id}`, { token: member.token });
    }
    const all = await trashIds();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await trash(member.token, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect((await trash(member.token, '?cursor=nonsense')).status).toBe(400);
    expect((await trash(viewer)).status).toBe(403);
    expect((await trash(outsider)).status).toBe(404);
  });

  it('keeps 30 days by default; admins set 1 to 365', async () => {
    const path = `/api/v1/workspaces/${workspace.id}/trash/retention`;
    expect((await api.call('GET', path, { token: member.token })).body).toEqual({ retentionDays: 30 });
    const put = (token: string, body: unknown) => api.call('PUT', path, { token, body });
    expect((await put(member.token, { retentionDays: 7 })).status).toBe(403);
    expect((await put(outsider, { retentionDays: 7 })).status).toBe(404);
    for (const bad of [0, 366, 1.5, '7', null]) {
      const res = await put(owner, { retentionDays: bad });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await put(admin, { retentionDays: 7 })).body).toEqual({ retentionDays: 7 });
    expect((await api.call('GET', path, { token: member.token })).body).toEqual({ retentionDays: 7 });
    const { deletedAt, purgeAt } = (await trash()).body.items[0];
    expect(Date.parse(purgeAt) - Date.parse(deletedAt)).toBe(7 * 86_400_000);
    await put(admin, { retentionDays: 30 });
  });
});
