import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMember, buildUser, buildWorkspace, tokenFor } from '../../../test/factories.js';
import { startTestApi, type TestApi } from '../../../test/harness.js';

let api: TestApi;
let workspace: { id: string };
let admin: string;
let member: string;
let viewer: string;
let outsider: string;

beforeAll(async () => {
  api = await startTestApi();
  workspace = await buildWorkspace(await buildUser());
  admin = (await buildMember(api, workspace, 'admin')).token;
  member = (await buildMember(api, workspace, 'member')).token;
  viewer = (await buildMember(api, workspace, 'viewer')).token;
  outsider = await tokenFor(api, await buildUser());
});
afterAll(() => api.close());

const create = (token: string, body: unknown) =>
  api.call('POST', `/api/v1/workspaces/${workspace.id}/labels`, { token, body });

describe('labels', () => {
  it('admins create, rename and delete; everyone in the workspace lists', async () => {
    const created = await create(admin, { name: 'Bug', color: '#FF0000' });
    expect(created).toMatchObject({ status: 201, body: { name: 'Bug', color: '#ff0000' } });
    const list = await api.call('GET', `/api/v1/workspaces/${workspace.id}/labels`, { token: viewer });
    expect(list.status).toBe(200);
    expect(list.body.map((l: { name: string }) => l.name)).toContain('Bug');
    const patched = await api.call('PATCH', `/api/v1/labels/${created.body.id}`, {
      token: admin,
      body: { name: 'Defect' },
    });
    expect(patched).toMatchObject({ status: 200, body: { name: 'Defect', color: '#ff0000' } });
    expect((await api.call('DELETE', `/api/v1/labels/${created.body.id}`, { token: admin })).status).toBe(
      204,
    );
    expect((await api.call('DELETE', `/api/v1/labels/${created.body.id}`, { token: admin })).status).toBe(
      404,
    );
  });

  it('refuses a duplicate name (case-insensitive) with 409', async () => {
    expect((await create(admin, { name: 'Urgent', color: '#000000' })).status).toBe(201);
    const dup = await create(admin, { name: 'urgent', color: '#111111' });
    expect(dup.status).toBe(409);
    expect(dup.body.title).toBe('Conflict');
  });

  it('validates colours and refuses unknown fields', async () => {
    const res = await create(admin, { name: 'x', color: 'red', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('color');
  });

  it('enforces admin+ for changes and hides other workspaces', async () => {
    const { body: label } = await create(admin, { name: 'Mine', color: '#123456' });
    expect((await create(member, { name: 'm', color: '#123456' })).status).toBe(403);
    expect(
      (await api.call('PATCH', `/api/v1/labels/${label.id}`, { token: viewer, body: { name: 'v' } })).status,
    ).toBe(403);
    expect((await api.call('DELETE', `/api/v1/labels/${label.id}`, { token: member })).status).toBe(403);
    expect((await api.call('DELETE', `/api/v1/labels/${label.id}`, { token: outsider })).status).toBe(404);
    expect(
      (await api.call('GET', `/api/v1/workspaces/${workspace.id}/labels`, { token: outsider })).status,
    ).toBe(404);
  });
});
