import { Task } from '@taskstack/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';

let api: TestApi;
let workspace: { id: string };
let owner: string;
let member: string;
let viewer: string;
let outsider: string;

beforeAll(async () => {
  api = await startTestApi();
  const ownerUser = await buildUser();
  workspace = await buildWorkspace(ownerUser);
  owner = await tokenFor(api, ownerUser);
  member = (await buildMember(api, workspace, 'member')).token;
  viewer = (await buildMember(api, workspace, 'viewer')).token;
  const stranger = await buildUser();
  await buildWorkspace(stranger);
  outsider = await tokenFor(api, stranger);
});
afterAll(() => api.close());

const create = (token: string, body: unknown) =>
  api.call('POST', `/api/v1/workspaces/${workspace.id}/projects`, { token, body });

describe('projects', () => {
  it('admins create, everyone in the workspace lists with task counts per status', async () => {
    const created = await create(owner, { name: '  Launch ', description: 'Q3 launch' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Launch',
      description: 'Q3 launch',
      archived: false,
      taskCounts: { backlog: 0, todo: 0, in_progress: 0, done: 0 },
    });
    await Task.bulkCreate([
      { workspaceId: workspace.id, projectId: created.body.id, number: 1, title: 'a', position: 'a0' },
      { workspaceId: workspace.id, projectId: created.body.id, number: 2, title: 'b', position: 'a1' },
      {
        workspaceId: workspace.id,
        projectId: created.body.id,
        number: 3,
        title: 'c',
        position: 'a0',
        status: 'done',
      },
    ]);
    const list = await api.call('GET', `/api/v1/workspaces/${workspace.id}/projects`, { token: viewer });
    expect(list.status).toBe(200);
    const found = list.body.find((p: { id: string }) => p.id === created.body.id);
    expect(found.taskCounts).toEqual({ backlog: 0, todo: 2, in_progress: 0, done: 1 });
  });

  it('reads, updates and deletes one project', async () => {
    const { body: project } = await create(owner, { name: 'Temp' });
    const read = await api.call('GET', `/api/v1/projects/${project.id}`, { token: viewer });
    expect(read).toMatchObject({ status: 200, body: { id: project.id, name: 'Temp', description: '' } });
    const patched = await api.call('PATCH', `/api/v1/projects/${project.id}`, {
      token: owner,
      body: { archived: true, description: 'old' },
    });
    expect(patched).toMatchObject({
      status: 200,
      body: { archived: true, description: 'old', name: 'Temp' },
    });
    expect((await api.call('DELETE', `/api/v1/projects/${project.id}`, { token: owner })).status).toBe(204);
    expect((await api.call('GET', `/api/v1/projects/${project.id}`, { token: owner })).status).toBe(404);
  });

  it('rejects invalid and unknown fields with the problems listed', async () => {
    const res = await create(owner, { name: '', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('name');
    expect(res.body.errors.some((e: { message: string }) => /colour/.test(e.message))).toBe(true);
    const patch = await api.call(
      'PATCH',
      `/api/v1/projects/${(await create(owner, { name: 'x' })).body.id}`,
      {
        token: owner,
        body: { archived: 'yes' },
      },
    );
    expect(patch.status).toBe(400);
  });

  it('enforces roles: members and viewers cannot create, change or delete', async () => {
    const { body: project } = await create(owner, { name: 'Guarded' });
    expect((await create(member, { name: 'nope' })).status).toBe(403);
    expect((await create(viewer, { name: 'nope' })).status).toBe(403);
    const patch = await api.call('PATCH', `/api/v1/projects/${project.id}`, {
      token: member,
      body: { name: 'x' },
    });
    expect(patch.status).toBe(403);
    expect((await api.call('DELETE', `/api/v1/projects/${project.id}`, { token: viewer })).status).toBe(403);
  });

  it('answers 404 for other workspaces and 401 without a token', async () => {
    const { body: project } = await create(owner, { name: 'Private' });
    expect((await api.call('GET', `/api/v1/projects/${project.id}`, { token: outsider })).status).toBe(404);
    expect(
      (await api.call('GET', `/api/v1/workspaces/${workspace.id}/projects`, { token: outsider })).status,
    ).toBe(404);
    expect((await create(outsider, { name: 'x' })).status).toBe(404);
    expect((await api.call('DELETE', `/api/v1/projects/${project.id}`, { token: outsider })).status).toBe(
      404,
    );
    expect((await api.call('GET', `/api/v1/projects/${project.id}`)).status).toBe(401);
    expect((await api.call('GET', `/api/v1/projects/not-a-uuid`, { token: owner })).status).toBe(404);
  });
});

describe('board routes in the OpenAPI document', () => {
  it('documents every board route with its schemas', async () => {
    const res = await api.call('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const routes = Object.entries(res.body.paths as Record<string, object>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /workspaces/{id}/projects',
        'POST /workspaces/{id}/projects',
        'GET /projects/{id}',
        'PATCH /projects/{id}',
        'DELETE /projects/{id}',
        'GET /workspaces/{id}/labels',
        'POST /workspaces/{id}/labels',
        'PATCH /labels/{id}',
        'DELETE /labels/{id}',
        'GET /projects/{id}/tasks',
        'POST /projects/{id}/tasks',
        'GET /tasks/{id}',
        'PATCH /tasks/{id}',
        'DELETE /tasks/{id}',
        'POST /tasks/{id}/move',
        'GET /tasks/{id}/comments',
        'POST /tasks/{id}/comments',
        'PATCH /comments/{id}',
        'DELETE /comments/{id}',
        'GET /tasks/{id}/attachments',
        'POST /tasks/{id}/attachments',
        'GET /attachments/{id}',
        'DELETE /attachments/{id}',
        'GET /projects/{id}/activity',
        'GET /events',
      ]),
    );
    for (const schema of ['Project', 'Label', 'Task', 'Comment', 'Attachment', 'ActivityEvent']) {
      expect(res.body.components.schemas[schema], schema).toBeDefined();
    }
    const events = res.body.paths['/events'].get;
    expect(events.parameters.map((p: { name: string }) => p.name)).toContain('access_token');
  });
});
